package httpapi_test

import (
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
)

// The supervisor console counts its timers on the server's clock: the
// realtime views say what it read when they answered.
func TestRealtimeViewsTellTheServersClock(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	site.Clock.Advance(90 * time.Minute)
	want := site.Clock.Now()
	for _, path := range []string{"/api/v1/realtime/agents", "/api/v1/realtime/queues"} {
		got, err := time.Parse(time.RFC3339Nano, admin.Do("GET", path, nil).Expect(t, 200).Map(t)["server_time"].(string))
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: server_time %v (%v), want %v", path, got, err, want)
		}
	}
}
