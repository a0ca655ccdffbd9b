package httpapi_test

import (
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// TestAConversationNamesItsPeople: an agent's desktop learns who wrote the
// messages and notes of an interaction it may read, though agents may not
// list staff.
func TestAConversationNamesItsPeople(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, map[string]any{"contact_name": "Anna Bianchi", "body": "Hello"})
		base := "/api/v1/interactions/" + id
		rs.mario.Do("POST", base+"/messages", map[string]any{"body": "Hi Anna"}).Expect(t, 201)
		rs.admin.Do("POST", base+"/notes", map[string]any{"body": "Watch the refund"}).Expect(t, 201)

		people := map[string]map[string]any{}
		for _, p := range listOf(t, rs.giula.Do("GET", base+"/people", nil).Expect(t, 200).Map(t)) {
			m := p.(map[string]any)
			people[idOf(m)] = m
		}
		if len(people) != 2 {
			t.Fatalf("people %v, want Mario (owner, first agent, author) and the admin (a note)", people)
		}
		if m := people[rs.marioID]; m == nil || m["kind"] != "agent" || m["name"] != "Agent mario" {
			t.Fatalf("Mario %v", m)
		}
		for pid, m := range people {
			if pid != rs.marioID && m["kind"] != "admin" {
				t.Fatalf("the note's author %v", m)
			}
		}

		// Someone who may not read the interaction learns nothing.
		other := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Other", "channel": "chat"}).Expect(t, 201).Map(t)
		rs.admin.Do("PUT", "/api/v1/agents/"+rs.giuliaID+"/queues", map[string]any{"queue_ids": []any{other["id"]}}).Expect(t, 200)
		rs.giula.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
		rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		rs.giula.Do("GET", base+"/people", nil).Expect(t, 403)
	})
}
