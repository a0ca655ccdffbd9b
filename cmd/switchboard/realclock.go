//go:build !e2e

package main

import (
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/clock"
)

// testClock and testRoutes are the e2e build's test hooks (see e2e.go); the
// real binary runs on real time and has no test routes.
func testClock() clock.Clock { return nil }

func testRoutes(*app.App) func(http.Handler) http.Handler { return nil }
