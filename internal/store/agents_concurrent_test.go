package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// Found by switchboard bench, which creates agents several at a time: on
// PostgreSQL two creations read the same highest extension and the second
// failed with a conflict.
func TestAgentsCreatedAtOnceGetDistinctExtensions(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		const n = 8
		var wg sync.WaitGroup
		exts, errs := make([]string, n), make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := &staff.Agent{Principal: auth.Principal{Kind: auth.KindAgent, Username: fmt.Sprintf("parallel%d", i),
					FullName: "Parallel"}}
				staff.DefaultAgentSettings(a)
				created, err := db.CreateAgent(context.Background(), a, 0)
				if errs[i] = err; err == nil {
					exts[i] = created.Extension
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, e := range exts {
			if errs[i] != nil || seen[e] {
				t.Fatalf("extensions %v, errors %v", exts, errs)
			}
			seen[e] = true
		}
	})
}
