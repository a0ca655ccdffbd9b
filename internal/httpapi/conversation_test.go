package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// ownedChat is an interaction of the routing site's queue that Mario owns,
// with Giulia logged in on the same queue.
func (rs *routingSite) ownedChat(t *testing.T, extra map[string]any) string {
	t.Helper()
	rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	body := map[string]any{"queue_id": rs.queue["id"], "subject": "Help"}
	for k, v := range extra {
		body[k] = v
	}
	id := idOf(rs.admin.Do("POST", "/api/v1/interactions", body).Expect(t, 201).Map(t))
	rs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
	rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
	return id
}

func listOf(t *testing.T, m map[string]any) []any {
	t.Helper()
	return m["items"].([]any)
}

func TestTheOwnerConverses(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, map[string]any{"contact_name": "Anna Bianchi", "body": "Hello, my order is late"})
		base := "/api/v1/interactions/" + id

		it := rs.mario.Do("GET", base, nil).Expect(t, 200).Map(t)
		if it["contact_name"] != "Anna Bianchi" || it["last_message_direction"] != "in" || it["unread"] != float64(1) {
			t.Fatalf("interaction after create %v", it)
		}
		m := rs.mario.Do("POST", base+"/messages", map[string]any{"body": "Let me check."}).Expect(t, 201).Map(t)
		if m["direction"] != "out" || m["delivery"] != "sent" || idOf(map[string]any{"id": m["author_id"]}) != rs.marioID {
			t.Fatalf("message %v", m)
		}
		it = rs.mario.Do("GET", base, nil).Expect(t, 200).Map(t)
		if it["last_message_direction"] != "out" || it["last_message_at"] == nil || it["unread"] != float64(0) {
			t.Fatalf("after sending %v", it) // replying marks read up to his reply
		}
		msgs := listOf(t, rs.mario.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t))
		if len(msgs) != 2 || msgs[0].(map[string]any)["body"] != "Hello, my order is late" || msgs[1].(map[string]any)["body"] != "Let me check." {
			t.Fatalf("messages %v", msgs)
		}
		after := idOf(msgs[0].(map[string]any))
		if got := listOf(t, rs.mario.Do("GET", base+"/messages?after="+after, nil).Expect(t, 200).Map(t)); len(got) != 1 {
			t.Fatalf("after=%s: %v", after, got)
		}

		// Notes stay internal.
		rs.mario.Do("POST", base+"/notes", map[string]any{"body": "VIP customer"}).Expect(t, 201)
		rs.admin.Do("POST", base+"/notes", map[string]any{"body": "Offer a voucher"}).Expect(t, 201)
		notes := listOf(t, rs.mario.Do("GET", base+"/notes", nil).Expect(t, 200).Map(t))
		if len(notes) != 2 || notes[1].(map[string]any)["body"] != "Offer a voucher" {
			t.Fatalf("notes %v", notes)
		}
		for _, m := range listOf(t, rs.mario.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)) {
			if b := m.(map[string]any)["body"].(string); strings.Contains(b, "VIP") || strings.Contains(b, "voucher") {
				t.Fatalf("a note is among the messages: %v", m)
			}
		}

		// Unread counts are per person and go down after /read.
		if u := rs.giula.Do("GET", base, nil).Expect(t, 200).Map(t)["unread"]; u != float64(2) {
			t.Fatalf("giulia unread %v", u)
		}
		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "Thanks!"}).Expect(t, 201)
		if u := rs.mario.Do("GET", base, nil).Map(t)["unread"]; u != float64(1) {
			t.Fatalf("mario unread %v", u)
		}
		if got := rs.mario.Do("POST", base+"/read", nil).Expect(t, 200).Map(t); got["unread"] != float64(0) {
			t.Fatalf("after read %v", got)
		}
		if u := rs.giula.Do("GET", base, nil).Map(t)["unread"]; u != float64(3) {
			t.Fatalf("giulia unread after mario read %v", u)
		}
		rs.giula.Do("POST", base+"/read", nil).Expect(t, 200)
		if u := rs.giula.Do("GET", base, nil).Map(t)["unread"]; u != float64(0) {
			t.Fatalf("giulia unread after her read %v", u)
		}

		// Every message and note wrote its event.
		evs := listOf(t, rs.admin.Do("GET", "/api/v1/events?subject_type=interaction&subject_id="+id, nil).Expect(t, 200).Map(t))
		seen := map[string]int{}
		for _, e := range evs {
			seen[e.(map[string]any)["type"].(string)]++
		}
		if seen["message.sent"] != 1 || seen["message.received"] != 2 || seen["interaction.note_added"] != 2 {
			t.Fatalf("events %v", seen)
		}
	})
}

func TestOnlyTheOwnerWrites(t *testing.T) {
	rs := newRoutingSite(t)
	id := rs.ownedChat(t, nil)
	base := "/api/v1/interactions/" + id
	tag := rs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Billing", "colour": "#1e90ff"}).Expect(t, 201).Map(t)

	// Giulia works the queue: she may read, not write.
	rs.giula.Do("GET", base, nil).Expect(t, 200)
	rs.giula.Do("GET", base+"/messages", nil).Expect(t, 200)
	rs.giula.Do("GET", base+"/notes", nil).Expect(t, 200)
	rs.giula.Do("POST", base+"/messages", map[string]any{"body": "hi"}).Expect(t, http.StatusForbidden)
	rs.giula.Do("POST", base+"/notes", map[string]any{"body": "hi"}).Expect(t, http.StatusForbidden)
	rs.giula.Do("PUT", base+"/tags", map[string]any{"tag_ids": []any{tag["id"]}}).Expect(t, http.StatusForbidden)
	rs.giula.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": nil}).Expect(t, http.StatusForbidden)
	rs.giula.Do("POST", base+"/close", nil).Expect(t, http.StatusForbidden)
	// Once she leaves the queue she may not even read.
	rs.giula.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
	rs.giula.Do("GET", base+"/messages", nil).Expect(t, http.StatusForbidden)
	// Agents do not play the channel.
	rs.mario.Do("POST", base+"/inbound", map[string]any{"body": "hi"}).Expect(t, http.StatusForbidden)

	rs.mario.Do("POST", base+"/messages", map[string]any{"body": ""}).Expect(t, http.StatusBadRequest)
	rs.mario.Do("POST", base+"/messages", map[string]any{"body": strings.Repeat("x", 10001)}).Expect(t, http.StatusBadRequest)
	rs.mario.Do("POST", base+"/close", nil).Expect(t, 200)
	r := rs.mario.Do("POST", base+"/messages", map[string]any{"body": "still there?"}).Expect(t, http.StatusConflict)
	if !strings.Contains(string(r.Body), "interaction.closed") && !strings.Contains(string(r.Body), "closed") {
		t.Fatalf("send on closed: %s", r.Body)
	}
	rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "hello?"}).Expect(t, http.StatusConflict)
	rs.mario.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": nil}).Expect(t, http.StatusConflict)
	if msgs := listOf(t, rs.admin.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)); len(msgs) != 0 {
		t.Fatalf("refused messages were stored: %v", msgs)
	}
}

func TestTagsAndSubStatusRoundTrip(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, nil)
		base := "/api/v1/interactions/" + id
		a := rs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Billing", "colour": "#1e90ff"}).Expect(t, 201).Map(t)
		b := rs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Angry", "colour": "#ff0000"}).Expect(t, 201).Map(t)
		it := rs.mario.Do("PUT", base+"/tags", map[string]any{"tag_ids": []any{a["id"], b["id"], a["id"]}}).Expect(t, 200).Map(t)
		tags := it["tags"].([]any)
		if len(tags) != 2 || tags[0].(map[string]any)["name"] != "Angry" || tags[1].(map[string]any)["colour"] != "#1e90ff" {
			t.Fatalf("tags %v", tags)
		}
		r := rs.mario.Do("PUT", base+"/tags", map[string]any{"tag_ids": []any{a["id"], 999999}}).Expect(t, 400)
		if !strings.Contains(string(r.Body), "tag_ids") {
			t.Fatalf("unknown tag: %s", r.Body)
		}
		if got := rs.mario.Do("GET", base, nil).Map(t)["tags"].([]any); len(got) != 2 {
			t.Fatalf("a refused change changed the tags: %v", got)
		}

		subs := listOf(t, rs.admin.Do("GET", "/api/v1/sub-statuses", nil).Expect(t, 200).Map(t))
		pending := subs[0].(map[string]any)
		it = rs.mario.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": pending["id"]}).Expect(t, 200).Map(t)
		if it["sub_status"].(map[string]any)["name"] != "Pending" {
			t.Fatalf("sub-status %v", it["sub_status"])
		}
		rs.mario.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": 999999}).Expect(t, 400)
		// The customer writing again clears it.
		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "Any news?"}).Expect(t, 201)
		it = rs.mario.Do("GET", base, nil).Map(t)
		if it["sub_status"] != nil || it["sub_status_id"] != nil || it["last_message_direction"] != "in" {
			t.Fatalf("after inbound %v", it)
		}
		rs.mario.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": pending["id"]}).Expect(t, 200)
		if it = rs.mario.Do("PUT", base+"/sub-status", map[string]any{"sub_status_id": nil}).Expect(t, 200).Map(t); it["sub_status"] != nil {
			t.Fatalf("cleared sub-status %v", it["sub_status"])
		}
		if it = rs.mario.Do("PUT", base+"/tags", map[string]any{"tag_ids": []any{}}).Expect(t, 200).Map(t); len(it["tags"].([]any)) != 0 {
			t.Fatalf("cleared tags %v", it["tags"])
		}
	})
}

func TestCloseWithADisposition(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		shop := rs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": rs.queue["id"],
			"mandatory_disposition": true}).Expect(t, 201).Map(t)
		blog := rs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		global := rs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Solved"}).Expect(t, 201).Map(t)
		local := rs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Refund", "account_id": shop["id"]}).Expect(t, 201).Map(t)
		foreign := rs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Comment", "account_id": blog["id"]}).Expect(t, 201).Map(t)

		// The account's queue is used when no queue is named.
		rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		it := rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"account_id": shop["id"], "contact_name": "Anna"}).Expect(t, 201).Map(t)
		if it["account_id"] != shop["id"] {
			t.Fatalf("created %v", it)
		}
		id := idOf(it)
		base := "/api/v1/interactions/" + id
		rs.mario.Do("POST", base+"/accept", nil).Expect(t, 200)

		r := rs.mario.Do("POST", base+"/close", nil).Expect(t, 400)
		if !strings.Contains(string(r.Body), "disposition_id") {
			t.Fatalf("mandatory disposition: %s", r.Body)
		}
		rs.mario.Do("POST", base+"/close", map[string]any{"note": "done"}).Expect(t, 400)
		rs.mario.Do("POST", base+"/close", map[string]any{"disposition_id": foreign["id"]}).Expect(t, 400)
		rs.mario.Do("POST", base+"/close", map[string]any{"disposition_id": 999999}).Expect(t, 400)
		// Someone else's close is refused and stores nothing.
		rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		rs.giula.Do("POST", base+"/close", map[string]any{"disposition_id": global["id"]}).Expect(t, 403)
		if got := rs.admin.Do("GET", base, nil).Map(t); got["status"] != "open" || got["disposition_id"] != nil {
			t.Fatalf("after refused closes %v", got)
		}
		got := rs.mario.Do("POST", base+"/close", map[string]any{"disposition_id": local["id"], "note": "Refund sent"}).Expect(t, 200).Map(t)
		if got["status"] != "closed" || got["disposition"].(map[string]any)["name"] != "Refund" || got["disposition_note"] != "Refund sent" {
			t.Fatalf("closed %v", got)
		}

		// A global disposition fits any account; without an account none is needed.
		id2 := idOf(rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"account_id": shop["id"]}).Expect(t, 201).Map(t))
		rs.mario.Do("POST", "/api/v1/interactions/"+id2+"/accept", nil).Expect(t, 200)
		rs.mario.Do("POST", "/api/v1/interactions/"+id2+"/close", map[string]any{"disposition_id": global["id"]}).Expect(t, 200)
		id3 := rs.newInteraction(t, rs.queue["id"])
		rs.mario.Do("POST", "/api/v1/interactions/"+id3+"/accept", nil).Expect(t, 200)
		rs.mario.Do("POST", "/api/v1/interactions/"+id3+"/close", map[string]any{"disposition_id": local["id"]}).Expect(t, 400)
		rs.mario.Do("POST", "/api/v1/interactions/"+id3+"/close", map[string]any{}).Expect(t, 200)

		// An unknown account is refused on create.
		rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": rs.queue["id"], "account_id": 999999}).Expect(t, 400)
	})
}

func TestAnInteractionTheCustomerClosedIsDisposedAfterwards(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		shop := rs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": rs.queue["id"],
			"mandatory_disposition": true}).Expect(t, 201).Map(t)
		blog := rs.admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		solved := rs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Solved"}).Expect(t, 201).Map(t)
		foreign := rs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Comment", "account_id": blog["id"]}).Expect(t, 201).Map(t)
		rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		it := rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"account_id": shop["id"], "contact_name": "Anna"}).Expect(t, 201).Map(t)
		id := idOf(it)
		base := "/api/v1/interactions/" + id
		rs.mario.Do("POST", base+"/accept", nil).Expect(t, 200)

		// Still open: it is closed with its disposition, not disposed afterwards.
		rs.mario.Do("POST", base+"/disposition", map[string]any{"disposition_id": solved["id"]}).Expect(t, 409)

		n, _ := strconv.ParseInt(id, 10, 64)
		if err := rs.site.App.ACD.CloseByCustomer(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		if got := rs.mario.Do("GET", base, nil).Map(t); got["status"] != "closed" || got["disposition_id"] != nil {
			t.Fatalf("closed by the customer %v", got)
		}
		rs.mario.Do("POST", base+"/disposition", map[string]any{}).Expect(t, 400)
		rs.mario.Do("POST", base+"/disposition", map[string]any{"disposition_id": foreign["id"]}).Expect(t, 400)
		rs.mario.Do("POST", base+"/disposition", map[string]any{"disposition_id": 999999}).Expect(t, 400)
		// Only its agent disposes of it.
		rs.giula.Do("POST", base+"/disposition", map[string]any{"disposition_id": solved["id"]}).Expect(t, 403)
		if got := rs.admin.Do("GET", base, nil).Map(t); got["disposition_id"] != nil {
			t.Fatalf("a refused disposal stored %v", got["disposition_id"])
		}
		got := rs.mario.Do("POST", base+"/disposition", map[string]any{"disposition_id": solved["id"], "note": " Left happy "}).Expect(t, 200).Map(t)
		if got["disposition"].(map[string]any)["name"] != "Solved" || got["disposition_note"] != "Left happy" {
			t.Fatalf("disposed %v", got)
		}
		// Once given, it stays.
		r := rs.mario.Do("POST", base+"/disposition", map[string]any{"disposition_id": foreign["id"]}).Expect(t, 409)
		if !strings.Contains(string(r.Body), "already") {
			t.Fatalf("second disposal: %s", r.Body)
		}
	})
}

func TestASupervisorOfTheQueueReadsAndAddsNotes(t *testing.T) {
	rs := newRoutingSite(t)
	id := rs.ownedChat(t, map[string]any{"body": "Hi"})
	base := "/api/v1/interactions/" + id
	other := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales", "channel": "chat"}).Expect(t, 201).Map(t)
	for name, q := range map[string]any{"sup": rs.queue["id"], "elsewhere": other["id"]} {
		prof := rs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Profile " + name,
			"rights": map[string]any{"realtime": []string{"view", "read"}}, "queue_ids": []any{q}}).Expect(t, 201).Map(t)
		rs.admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": name, "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
	}
	sup := rs.site.Client(t)
	changeFirstPassword(t, sup, "sup", "Sup-Pass222")
	elsewhere := rs.site.Client(t)
	changeFirstPassword(t, elsewhere, "elsewhere", "Sup-Pass222")

	if got := listOf(t, sup.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)); len(got) != 1 {
		t.Fatalf("supervisor reads %v", got)
	}
	sup.Do("POST", base+"/notes", map[string]any{"body": "Be gentle"}).Expect(t, 201)
	notes := listOf(t, rs.mario.Do("GET", base+"/notes", nil).Expect(t, 200).Map(t))
	if len(notes) != 1 || notes[0].(map[string]any)["body"] != "Be gentle" {
		t.Fatalf("the agent does not see the supervisor's note: %v", notes)
	}
	// A supervisor does not reply for the agent, and one of other queues sees nothing.
	sup.Do("POST", base+"/messages", map[string]any{"body": "hi"}).Expect(t, http.StatusForbidden)
	elsewhere.Do("GET", base+"/messages", nil).Expect(t, http.StatusForbidden)
	elsewhere.Do("POST", base+"/notes", map[string]any{"body": "x"}).Expect(t, http.StatusForbidden)
}
