// Package web holds the built single-page app, embedded into the binary.
package web

import "embed"

//go:embed all:dist
var Dist embed.FS

// DemoShopPage is the demo shop served at /demo/shop on a demo site: an
// html/template whose .Snippet is the demo website's embed snippet.
//
//go:embed widget/demo-shop.html
var DemoShopPage string
