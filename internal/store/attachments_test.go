package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n fake image body")

// chatWith makes a chat interaction in a new queue: waiting, or open and
// owned by owner when owner is not 0.
var chats int

func chatWith(t *testing.T, db *store.DB, owner int64) *store.Interaction {
	t.Helper()
	ctx := context.Background()
	chats++
	q := mustQueue(t, db, fmt.Sprintf("Chat %d", chats), staff.Chat)
	it, err := db.CreateInteraction(ctx, string(staff.Chat), store.NewInteraction{QueueID: q.ID, Subject: "Hi"}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if owner != 0 {
		setStatus(t, db, it.ID, "open", owner)
	}
	return it
}

func setStatus(t *testing.T, db *store.DB, id int64, status string, owner int64) {
	t.Helper()
	c := store.InteractionChange{ID: id, Status: status}
	if owner != 0 {
		c.Owner = &owner
	}
	if err := db.SaveRouting(context.Background(), store.RoutingBatch{Changes: []store.InteractionChange{c}}); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	n, err := db.CountRows(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// eventMessage decodes the "message" a message event carries.
func eventMessage(t *testing.T, db *store.DB, typ eventlog.Type) []map[string]any {
	t.Helper()
	evs, err := db.Events(context.Background(), eventlog.Filter{Types: []eventlog.Type{typ}})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, ev := range evs {
		var d map[string]any
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestReceiveInboundStoresTextAndFileOnceByProviderID(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		it := chatWith(t, db, 0)
		in := store.Inbound{InteractionID: it.ID, Body: "my receipt", ProviderID: "wamid.1",
			File: &store.NewAttachment{Name: `C:\Users\anna\receipt.png`, ContentType: "image/png", Data: pngBytes}}
		m, dup, err := db.ReceiveInbound(ctx, in)
		if err != nil || dup {
			t.Fatalf("first: %v dup=%v", err, dup)
		}
		if m.Direction != "in" || m.Body != "my receipt" || m.Delivery != "sent" || m.Attachment == nil ||
			m.Attachment.Name != "receipt.png" || m.Attachment.ContentType != "image/png" || m.Attachment.Size != int64(len(pngBytes)) {
			t.Fatalf("message %+v attachment %+v", m, m.Attachment)
		}
		again, dup, err := db.ReceiveInbound(ctx, in)
		if err != nil || !dup || again.ID != m.ID || again.Attachment == nil || again.Attachment.ID != m.Attachment.ID {
			t.Fatalf("retry: %+v dup=%v err=%v", again, dup, err)
		}
		if count(t, db, "messages") != 1 || count(t, db, "attachments") != 1 {
			t.Fatal("the retry stored again")
		}
		a, interactionID, data, err := db.Attachment(ctx, m.Attachment.ID)
		if err != nil || interactionID != it.ID || *a != *m.Attachment || !bytes.Equal(data, pngBytes) {
			t.Fatalf("download %+v %d %q %v", a, interactionID, data, err)
		}
		list, _ := db.Messages(ctx, it.ID, 0, 10)
		if len(list) != 1 || list[0].Attachment == nil || list[0].Attachment.ID != m.Attachment.ID {
			t.Fatalf("Messages %+v", list)
		}
		evs := eventMessage(t, db, eventlog.MessageReceived)
		if len(evs) != 1 {
			t.Fatalf("%d message.received events", len(evs))
		}
		msg, _ := evs[0]["message"].(map[string]any)
		att, _ := msg["attachment"].(map[string]any)
		if msg["body"] != "my receipt" || msg["direction"] != "in" || msg["delivery"] != "sent" ||
			att["name"] != "receipt.png" || att["content_type"] != "image/png" {
			t.Fatalf("event data %v", evs[0])
		}

		// A retry after the chat closed is still only a retry.
		setStatus(t, db, it.ID, "closed", 0)
		if m2, dup, err := db.ReceiveInbound(ctx, in); err != nil || !dup || m2.ID != m.ID {
			t.Fatalf("retry after close: %+v %v %v", m2, dup, err)
		}
	})
}

func TestReceiveInboundOnClosedInteractionStoresNothing(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		it := chatWith(t, db, 0)
		setStatus(t, db, it.ID, "closed", 0)
		_, _, err := db.ReceiveInbound(ctx, store.Inbound{InteractionID: it.ID, ProviderID: "p1",
			File: &store.NewAttachment{Name: "a.png", ContentType: "image/png", Data: pngBytes}})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("got %v, want conflict", err)
		}
		if _, _, err := db.ReceiveInbound(ctx, store.Inbound{InteractionID: 999999, Body: "x"}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown interaction: %v", err)
		}
		if _, _, err := db.ReceiveInbound(ctx, store.Inbound{InteractionID: it.ID, Body: "  "}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("blank without file: %v", err)
		}
		if count(t, db, "messages") != 0 || count(t, db, "attachments") != 0 {
			t.Fatal("something was stored")
		}
	})
}

func TestReceiveMessageStillStoresPlainText(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		it := chatWith(t, db, 0)
		m, err := db.ReceiveMessage(context.Background(), it.ID, "hello", 0)
		if err != nil || m.Body != "hello" || m.Attachment != nil {
			t.Fatalf("%+v %v", m, err)
		}
	})
}

func TestSendAttachmentOnlyByTheOwnerOfAnOpenInteraction(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		mario, luigi := mustAgent(t, db, "mario"), mustAgent(t, db, "luigi")
		it := chatWith(t, db, mario.ID)
		f := store.NewAttachment{Name: "../../etc/passwd.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("hello")}
		if _, err := db.SendAttachment(ctx, it.ID, luigi.ID, "", f); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("not owner: %v", err)
		}
		if count(t, db, "attachments") != 0 {
			t.Fatal("a refused send stored its file")
		}
		m, err := db.SendAttachment(ctx, it.ID, mario.ID, "", f)
		if err != nil || m.Direction != "out" || *m.AuthorID != mario.ID || m.Body != "" || m.Attachment == nil ||
			m.Attachment.Name != "passwd.txt" || m.Attachment.Size != 5 {
			t.Fatalf("%+v %v", m, err)
		}
		evs := eventMessage(t, db, eventlog.MessageSent)
		msg, _ := evs[0]["message"].(map[string]any)
		if len(evs) != 1 || msg["id"] != float64(m.ID) || msg["attachment"] == nil || evs[0]["message_id"] != float64(m.ID) {
			t.Fatalf("event %v", evs)
		}
		setStatus(t, db, it.ID, "closed", 0)
		if _, err := db.SendAttachment(ctx, it.ID, mario.ID, "late", f); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("closed: %v", err)
		}
		if count(t, db, "attachments") != 1 {
			t.Fatal("a refused send stored its file")
		}
	})
}

func TestDeliveryOnlyMovesForward(t *testing.T) {
	cases := []struct {
		steps   []string
		changed []bool
		final   string
	}{
		{[]string{"delivered", "read"}, []bool{true, true}, "read"},
		{[]string{"read", "delivered"}, []bool{true, false}, "read"},
		{[]string{"delivered", "delivered"}, []bool{true, false}, "delivered"},
		{[]string{"sent"}, []bool{false}, "sent"},
		{[]string{"delivered", "failed", "read"}, []bool{true, true, false}, "failed"},
		{[]string{"read", "failed"}, []bool{true, false}, "read"},
	}
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		mario := mustAgent(t, db, "mario")
		it := chatWith(t, db, mario.ID)
		for _, c := range cases {
			m, err := db.SendMessage(ctx, it.ID, mario.ID, "hi")
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range c.steps {
				changed, err := db.SetDelivery(ctx, m.ID, s)
				if err != nil || changed != c.changed[i] {
					t.Fatalf("%v step %d: changed=%v err=%v", c.steps, i, changed, err)
				}
			}
			list, _ := db.Messages(ctx, it.ID, m.ID-1, 1)
			if list[0].Delivery != c.final {
				t.Fatalf("%v: ends %s, want %s", c.steps, list[0].Delivery, c.final)
			}
		}
		if _, err := db.SetDelivery(ctx, 1, "lost"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unknown state: %v", err)
		}
		if _, err := db.SetDelivery(ctx, 999999, "read"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown message: %v", err)
		}
		evs := eventMessage(t, db, eventlog.MessageDelivery)
		if len(evs) != 7 { // the changed steps above
			t.Fatalf("%d delivery events, want 7", len(evs))
		}
		if evs[0]["interaction_id"] != float64(it.ID) || evs[0]["agent_id"] != float64(mario.ID) ||
			evs[0]["direction"] != "out" || evs[0]["delivery"] != "delivered" || evs[0]["queue_id"] == nil {
			t.Fatalf("event %v", evs[0])
		}
	})
}

func TestMarkDeliveredUpToMovesOneDirectionUpToTheID(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		mario := mustAgent(t, db, "mario")
		it := chatWith(t, db, mario.ID)
		out1, _ := db.SendMessage(ctx, it.ID, mario.ID, "one")
		out2, _ := db.SendMessage(ctx, it.ID, mario.ID, "two")
		db.ReceiveMessage(ctx, it.ID, "three", 0)
		out3, _ := db.SendMessage(ctx, it.ID, mario.ID, "four")
		other := chatWith(t, db, mario.ID)
		otherOut, _ := db.SendMessage(ctx, other.ID, mario.ID, "elsewhere")
		before := len(eventMessage(t, db, eventlog.MessageDelivery))

		ids, err := db.MarkDeliveredUpTo(ctx, it.ID, "out", out2.ID, "delivered")
		if err != nil || !slices.Equal(ids, []int64{out1.ID, out2.ID}) {
			t.Fatalf("delivered %v %v", ids, err)
		}
		ids, err = db.MarkDeliveredUpTo(ctx, it.ID, "out", out3.ID, "read")
		if err != nil || !slices.Equal(ids, []int64{out1.ID, out2.ID, out3.ID}) {
			t.Fatalf("read %v %v", ids, err)
		}
		if ids, err := db.MarkDeliveredUpTo(ctx, it.ID, "out", out3.ID, "delivered"); err != nil || len(ids) != 0 {
			t.Fatalf("backwards %v %v", ids, err)
		}
		list, _ := db.Messages(ctx, it.ID, 0, 10)
		for _, m := range list { // in1 too: the owner answered it
			if m.Delivery != "read" {
				t.Fatalf("message %d is %s, want read", m.ID, m.Delivery)
			}
		}
		if l, _ := db.Messages(ctx, other.ID, 0, 10); l[0].ID != otherOut.ID || l[0].Delivery != "sent" {
			t.Fatalf("another interaction moved: %+v", l[0])
		}
		if evs := eventMessage(t, db, eventlog.MessageDelivery); len(evs)-before != 5 {
			t.Fatalf("%d events, want one per change (5)", len(evs)-before)
		}
		if _, err := db.MarkDeliveredUpTo(ctx, it.ID, "sideways", out3.ID, "read"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("bad direction: %v", err)
		}
	})
}

// deliveries maps message id → delivery state.
func deliveries(t *testing.T, db *store.DB, interactionID int64) map[int64]string {
	t.Helper()
	list, err := db.Messages(context.Background(), interactionID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, m := range list {
		out[m.ID] = m.Delivery
	}
	return out
}

func TestAnOwnerMakesTheCustomersMessagesDelivered(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		mario := mustAgent(t, db, "mario")
		it := chatWith(t, db, 0)
		in1, _ := db.ReceiveMessage(ctx, it.ID, "anyone there?", 0)
		in2, _ := db.ReceiveMessage(ctx, it.ID, "hello?", 0)
		if d := deliveries(t, db, it.ID); d[in1.ID] != "sent" || d[in2.ID] != "sent" {
			t.Fatalf("waiting: %v", d)
		}
		setStatus(t, db, it.ID, "open", mario.ID) // routing's acceptance
		if d := deliveries(t, db, it.ID); d[in1.ID] != "delivered" || d[in2.ID] != "delivered" {
			t.Fatalf("accepted: %v", d)
		}
		evs := eventMessage(t, db, eventlog.MessageDelivery)
		if len(evs) != 2 || evs[1]["message_id"] != float64(in2.ID) || evs[1]["agent_id"] != float64(mario.ID) {
			t.Fatalf("events %v", evs)
		}
		in3, _ := db.ReceiveMessage(ctx, it.ID, "ah, hi", 0)
		if in3.Delivery != "delivered" {
			t.Fatalf("a message to an owned chat is %s", in3.Delivery)
		}
		if msg := eventMessage(t, db, eventlog.MessageReceived)[2]["message"].(map[string]any); msg["delivery"] != "delivered" {
			t.Fatalf("event message %v", msg)
		}
	})
}

func TestTheOwnersReadMarkMakesTheCustomersMessagesRead(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		mario, luigi := mustAgent(t, db, "mario"), mustAgent(t, db, "luigi")
		it := chatWith(t, db, mario.ID)
		in1, _ := db.ReceiveMessage(ctx, it.ID, "one", 0)
		if err := db.MarkRead(ctx, it.ID, luigi.ID); err != nil {
			t.Fatal(err)
		}
		if d := deliveries(t, db, it.ID); d[in1.ID] != "delivered" {
			t.Fatalf("someone else's reading counted: %v", d)
		}
		if err := db.MarkRead(ctx, it.ID, mario.ID); err != nil {
			t.Fatal(err)
		}
		if d := deliveries(t, db, it.ID); d[in1.ID] != "read" {
			t.Fatalf("owner read: %v", d)
		}
		in2, _ := db.ReceiveMessage(ctx, it.ID, "two", 0)
		out, _ := db.SendMessage(ctx, it.ID, mario.ID, "answer")
		if d := deliveries(t, db, it.ID); d[in2.ID] != "read" || d[out.ID] != "sent" {
			t.Fatalf("answering reads what came before: %v", d)
		}
	})
}
