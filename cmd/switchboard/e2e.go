//go:build e2e

package main

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/clock"
)

// The browser tests' binary (go build -tags e2e, bin/switchboard-e2e) runs on
// a clock they can move forward, so a story with a two-minute transfer
// timeout does not wait two minutes. Never built into the real binary: the
// route below is unauthenticated.

var shifted = clock.NewShifted()

func testClock() clock.Clock { return shifted }

// testRoutes adds POST /test/clock/advance {"seconds": N}.
func testRoutes(*app.App) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /test/clock/advance", func(w http.ResponseWriter, r *http.Request) {
			var in struct {
				Seconds float64 `json:"seconds"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Seconds <= 0 || in.Seconds > 30*24*3600 {
				http.Error(w, `want {"seconds": N} with 0 < N <= 2592000`, http.StatusBadRequest)
				return
			}
			shifted.Advance(time.Duration(in.Seconds * float64(time.Second)))
			w.WriteHeader(http.StatusNoContent)
		})
		mux.Handle("/", next)
		return mux
	}
}
