package store_test

import (
	"context"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/webchat"
)

// startChat creates a chat interaction on a website the way the widget does.
func startChat(t *testing.T, db *store.DB, site *conversation.Website, c *store.ChatSession, hash, body string) (*store.Interaction, error) {
	t.Helper()
	c.AccountID = site.ID
	return db.CreateInteraction(context.Background(), string(staff.Chat), store.NewInteraction{QueueID: *site.QueueID,
		AccountID: &site.ID, ContactName: webchat.ContactName(c.Form), Body: body, With: store.StartChat(c, hash)}, 0, 0)
}

func TestAChatIsStoredWithItsInteractionOrNotAtAll(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		q := mustQueue(t, db, "Chat", staff.Chat)
		w := conversation.NewWebsite()
		w.Name, w.QueueID = "Shop", &q.ID
		site, err := db.SaveWebsite(ctx, w, 0)
		if err != nil {
			t.Fatal(err)
		}
		form := webchat.Answers{{Name: "name", Label: "Name", Value: "Anna"}, {Name: "email", Label: "Email", Value: "anna@example.com"}}
		_, hash := webchat.NewToken()
		c := &store.ChatSession{Form: form, Origin: "https://shop.example.com"}
		it, err := startChat(t, db, site, c, hash, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ChatByTokenHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != c.ID || got.InteractionID != it.ID || got.AccountID != site.ID || got.Offline || got.ClosedBy != "" ||
			got.Origin != "https://shop.example.com" || len(got.Form) != 2 || got.Form[1].Value != "anna@example.com" ||
			got.TokenHash() != hash || it.ContactName != "Anna" {
			t.Fatalf("chat %+v, interaction %+v", got, it)
		}
		if byIt, err := db.ChatOfInteraction(ctx, it.ID); err != nil || byIt.ID != c.ID {
			t.Fatalf("by interaction %+v %v", byIt, err)
		}
		if _, err := db.ChatByTokenHash(ctx, webchat.HashToken("other")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown token: %v", err)
		}

		// Offline messages have no token; several may be stored.
		for i := 0; i < 2; i++ {
			off := &store.ChatSession{Offline: true, Form: webchat.Answers{}}
			it, err := startChat(t, db, site, off, "", "Call me back")
			if err != nil {
				t.Fatal(err)
			}
			if back, _ := db.ChatOfInteraction(ctx, it.ID); back == nil || !back.Offline || back.TokenHash() != "" || back.Form == nil {
				t.Fatalf("offline chat %+v", back)
			}
		}

		// A chat that cannot be stored leaves no interaction behind.
		before := count(t, db, "interactions")
		if _, err := startChat(t, db, site, &store.ChatSession{}, hash, "Hello"); err == nil {
			t.Fatal("a second chat with the same token hash was stored")
		}
		if n := count(t, db, "interactions"); n != before {
			t.Fatalf("interactions %d, want %d", n, before)
		}

		// Who closed it is written once.
		for _, by := range []string{"customer", "agent"} {
			if err := db.InTx(ctx, func(tx *store.Tx) error { return store.ChatClosedBy(it.ID, by)(ctx, tx) }); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := db.ChatOfInteraction(ctx, it.ID); got.ClosedBy != "customer" {
			t.Fatalf("closed by %q", got.ClosedBy)
		}
		// An interaction no widget started has no chat.
		other := chatWith(t, db, 0)
		if got, err := db.ChatOfInteraction(ctx, other.ID); got != nil || err != nil {
			t.Fatalf("chat of a plain interaction %+v %v", got, err)
		}
	})
}

func TestTheWidgetsClientIDsComeBackWithTheirMessages(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		q := mustQueue(t, db, "Chat", staff.Chat)
		w := conversation.NewWebsite()
		w.Name, w.QueueID = "Shop", &q.ID
		site, err := db.SaveWebsite(ctx, w, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := &store.ChatSession{Form: webchat.Answers{}}
		_, hash := webchat.NewToken()
		it, err := startChat(t, db, site, c, hash, "")
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, in := range []store.Inbound{
			{InteractionID: it.ID, Body: "one", ProviderID: store.ChatProviderID(c.ID, "a:1")},
			{InteractionID: it.ID, Body: "two"},
			{InteractionID: it.ID, Body: "three", ProviderID: "whatsapp:xyz"},
			{InteractionID: it.ID, Body: "four", ProviderID: store.ChatProviderID(c.ID, "b")},
		} {
			m, _, err := db.ReceiveInbound(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}
		got, err := db.ChatClientIDs(ctx, c, 0, ids[3])
		if err != nil || len(got) != 2 || got[ids[0]] != "a:1" || got[ids[3]] != "b" {
			t.Fatalf("client ids %v %v", got, err)
		}
		if got, _ := db.ChatClientIDs(ctx, c, ids[0], ids[2]); len(got) != 0 {
			t.Fatalf("client ids in a range %v", got)
		}
	})
}
