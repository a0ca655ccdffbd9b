// Package web holds the built single-page app, embedded into the binary.
package web

import "embed"

//go:embed all:dist
var Dist embed.FS
