package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/outbox"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// queuedAndClaimed stores an agent's message through the outbox and claims
// it, as the worker does before calling the provider.
func queuedAndClaimed(t *testing.T, db *store.DB, it *store.Interaction, agent int64, body string) (*store.Message, outbox.Job) {
	t.Helper()
	ctx := context.Background()
	m, err := db.SendQueued(ctx, it.ID, agent, body, nil, outbox.Entry{Channel: "whatsapp"})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := db.ClaimOutbox(ctx, time.Minute, 10)
	if err != nil || len(jobs) != 1 || jobs[0].MessageID != m.ID {
		t.Fatalf("claim %+v, %v", jobs, err)
	}
	return m, jobs[0]
}

func deliveryOf(t *testing.T, db *store.DB, it *store.Interaction, id int64) *store.Message {
	t.Helper()
	ms, err := db.Messages(context.Background(), it.ID, id-1, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("message %d: %v, %v", id, ms, err)
	}
	return ms[0]
}

func TestOutboundStatusesOutOfOrderEndInTheFurthestState(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		agent := mustAgent(t, db, "mario")
		it := chatWith(t, db, agent.ID)
		status := func(id, state string) {
			t.Helper()
			if err := db.ApplyOutboundStatus(ctx, store.OutboundStatus{ProviderMessageID: id, State: state,
				ErrorCode: "131047", ErrorText: "Re-engagement message"}); err != nil {
				t.Fatal(err)
			}
		}

		read, job := queuedAndClaimed(t, db, it, agent.ID, "first")
		if err := db.OutboxSent(ctx, job, "wamid.READ"); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"read", "delivered", "sent", "failed"} { // read first, the rest late
			status("wamid.READ", s)
		}
		if got := deliveryOf(t, db, it, read.ID); got.Delivery != "read" || got.DeliveryError != "" {
			t.Fatalf("after read and late reports: %q %q", got.Delivery, got.DeliveryError)
		}

		failed, job := queuedAndClaimed(t, db, it, agent.ID, "second")
		if err := db.OutboxSent(ctx, job, "wamid.FAILED"); err != nil {
			t.Fatal(err)
		}
		status("wamid.FAILED", "delivered")
		status("wamid.FAILED", "failed") // kept: the provider knows better
		status("wamid.FAILED", "read")
		if got := deliveryOf(t, db, it, failed.ID); got.Delivery != "failed" || got.DeliveryError != "Re-engagement message (131047)" {
			t.Fatalf("failed after delivered: %q %q", got.Delivery, got.DeliveryError)
		}

		// One event per step that moved: sent, read; sent, delivered, failed.
		var steps []string
		for _, d := range eventMessage(t, db, eventlog.MessageDelivery) {
			steps = append(steps, d["delivery"].(string))
		}
		if want := "sent read sent delivered failed"; strings.Join(steps, " ") != want {
			t.Fatalf("delivery events %v, want %s", steps, want)
		}

		err := db.ApplyOutboundStatus(ctx, store.OutboundStatus{ProviderMessageID: "wamid.READ", State: "seen"})
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unknown state: %v", err)
		}
	})
}

func TestAStatusThatOvertakesTheSendsCommitIsAppliedWithIt(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		agent := mustAgent(t, db, "mario")
		it := chatWith(t, db, agent.ID)
		m, job := queuedAndClaimed(t, db, it, agent.ID, "quick")
		// The provider's webhook comes before we have written its answer down.
		for _, s := range []string{"read", "delivered"} {
			if err := db.ApplyOutboundStatus(ctx, store.OutboundStatus{ProviderMessageID: "wamid.QUICK", State: s}); err != nil {
				t.Fatal(err)
			}
		}
		if got := deliveryOf(t, db, it, m.ID); got.Delivery != "pending" {
			t.Fatalf("before the answer is recorded: %q", got.Delivery)
		}
		if err := db.OutboxSent(ctx, job, "wamid.QUICK"); err != nil {
			t.Fatal(err)
		}
		if got := deliveryOf(t, db, it, m.ID); got.Delivery != "read" {
			t.Fatalf("after the answer is recorded: %q", got.Delivery)
		}
		if n := count(t, db, "outbound_early_statuses"); n != 0 {
			t.Fatalf("%d early statuses left", n)
		}

		// Statuses of messages we never sent are swept after a day.
		if err := db.ApplyOutboundStatus(ctx, store.OutboundStatus{ProviderMessageID: "wamid.OTHER", State: "delivered"}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(25 * time.Hour)
		if err := db.SweepEarlyStatuses(ctx, clk.Now().Add(-24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "outbound_early_statuses"); n != 0 {
			t.Fatalf("%d early statuses left after the sweep", n)
		}
	})
}
