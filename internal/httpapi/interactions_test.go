package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// page is one answer of GET /api/v1/interactions.
type page struct {
	Items      []map[string]any `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

func listPage(t *testing.T, c *apptest.Client, query string) page {
	t.Helper()
	var p page
	c.Do("GET", "/api/v1/interactions?"+query, nil).Expect(t, 200).JSON(t, &p)
	return p
}

// listed is the ids of a list's first page.
func listed(t *testing.T, c *apptest.Client, query string) []string {
	t.Helper()
	ids := []string{}
	for _, it := range listPage(t, c, query).Items {
		ids = append(ids, idOf(it))
	}
	return ids
}

// listFixture is four interactions the list tests filter and sort:
//
//	A chat, Shop, Anna (anna@example.com), closed by Mario, tagged, 3 messages, last 09:05
//	B chat, Blog, Bruno, open (Mario), Pending, 2 messages, last 09:06
//	C chat, Shop, Anna again, closed unmanaged (nobody worked its queue), last 09:02
//	D email, no account, Carla, waiting, no messages, started 09:03
type listFixture struct {
	*routingSite
	shop, blog, billing, angry, spare, pending map[string]any
	a, b, c, d                                 string
}

func newListFixture(t *testing.T, d store.Dialect) *listFixture {
	t.Helper()
	f := &listFixture{routingSite: newRoutingSiteOn(t, d)}
	admin, clk := f.admin, f.site.Clock
	f.shop = admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": f.queue["id"]}).Expect(t, 201).Map(t)
	f.blog = admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog", "queue_id": f.queue["id"]}).Expect(t, 201).Map(t)
	overflow := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Overflow", "channel": "chat", "max_wait": 60,
		"max_wait_action": "close_unmanaged"}).Expect(t, 201).Map(t)
	mail := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Mail", "channel": "email"}).Expect(t, 201).Map(t)
	f.billing = admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Billing", "colour": "#1e90ff"}).Expect(t, 201).Map(t)
	f.angry = admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Angry", "colour": "#ff0000"}).Expect(t, 201).Map(t)
	f.spare = admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Spare", "colour": "#00ff00"}).Expect(t, 201).Map(t)
	f.pending = listOf(t, admin.Do("GET", "/api/v1/sub-statuses", nil).Expect(t, 200).Map(t))[0].(map[string]any)
	f.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)

	create := func(body map[string]any) string {
		return idOf(admin.Do("POST", "/api/v1/interactions", body).Expect(t, 201).Map(t))
	}
	f.a = create(map[string]any{"queue_id": f.queue["id"], "account_id": f.shop["id"], "subject": "Order late",
		"contact_name": "Anna Bianchi", "contact_key": "anna@example.com", "body": "My order 1234 is late"})
	f.mario.Do("POST", "/api/v1/interactions/"+f.a+"/accept", nil).Expect(t, 200)
	clk.Advance(time.Minute) // 09:01
	f.b = create(map[string]any{"queue_id": f.queue["id"], "account_id": f.blog["id"], "subject": "Refund",
		"contact_name": "Bruno Verdi", "body": "Vorrei un rimborso"})
	f.mario.Do("POST", "/api/v1/interactions/"+f.b+"/accept", nil).Expect(t, 200)
	clk.Advance(time.Minute) // 09:02
	f.c = create(map[string]any{"queue_id": overflow["id"], "account_id": f.shop["id"], "subject": "Question",
		"contact_name": "Anna Bianchi", "contact_key": "anna@example.com", "body": "Are you there?"})
	clk.Advance(time.Minute) // 09:03, C waited too long
	f.d = create(map[string]any{"queue_id": mail["id"], "subject": "Invoice copy", "contact_name": "Carla"})
	clk.Advance(time.Minute) // 09:04
	a := "/api/v1/interactions/" + f.a
	f.mario.Do("PUT", a+"/tags", map[string]any{"tag_ids": []any{f.billing["id"], f.angry["id"]}}).Expect(t, 200)
	f.mario.Do("POST", a+"/messages", map[string]any{"body": "Let me check."}).Expect(t, 201)
	clk.Advance(time.Minute) // 09:05
	admin.Do("POST", a+"/inbound", map[string]any{"body": "Thanks"}).Expect(t, 201)
	f.mario.Do("POST", a+"/close", map[string]any{}).Expect(t, 200)
	clk.Advance(time.Minute) // 09:06
	admin.Do("POST", "/api/v1/interactions/"+f.b+"/inbound", map[string]any{"body": "Any news?"}).Expect(t, 201)
	f.mario.Do("PUT", "/api/v1/interactions/"+f.b+"/sub-status", map[string]any{"sub_status_id": f.pending["id"]}).Expect(t, 200)
	if st := f.admin.Do("GET", "/api/v1/interactions/"+f.c, nil).Expect(t, 200).Map(t)["status"]; st != "closed_unmanaged" {
		t.Fatalf("C is %v", st)
	}
	return f
}

func TestInteractionListsFilterAndSort(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		f := newListFixture(t, d)
		a, b, c, dd := f.a, f.b, f.c, f.d
		id := func(m map[string]any) string { return idOf(m) }
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"", []string{b, a, dd, c}}, // newest activity first
			{"channel=chat", []string{b, a, c}},
			{"channel=email", []string{dd}},
			{"sort=started&order=asc", []string{a, b, c, dd}},
			{"sort=started", []string{dd, c, b, a}},
			{"sort=id&order=desc", []string{dd, c, b, a}},
			{"sort=last_message&order=asc", []string{c, dd, a, b}},
			{"sort=subject&order=asc", []string{dd, a, c, b}}, // invoice, order, question, refund
			{"sort=status&order=asc", []string{a, c, b, dd}},  // closed, closed_unmanaged, open, waiting
			{"status=closed", []string{a}},
			{"status=open&status=waiting", []string{b, dd}},
			{"status=closed_unmanaged", []string{c}},
			{"account_id=" + id(f.shop), []string{a, c}},
			{"agent_id=" + f.marioID, []string{b, a}},
			{"tag_id=" + id(f.billing), []string{a}},
			{"tag_id=" + id(f.billing) + "&tag_id=" + id(f.angry), []string{a}},
			{"tag_id=" + id(f.billing) + "&tag_id=" + id(f.spare), []string{}},
			{"sub_status_id=" + id(f.pending), []string{b}},
			{"q=anna", []string{a, c}},
			{"q=1234", []string{a}}, // a word of a message
			{"q=rimborso", []string{b}},
			{"q=" + url.QueryEscape("bruno verdi"), []string{b}},
			{"q=shop", []string{a, c}}, // the account's name
			{"q=" + url.QueryEscape("anna@example.com"), []string{a, c}},
			{"q=" + dd, []string{dd}}, // the id
			{"q=ord", []string{a}},    // a word's beginning
			{"q=nothing", []string{}},
			{"q=anna&channel=chat&status=closed", []string{a}},
			{"from=2026-11-21T09:01:00Z", []string{b, dd, c}},
			{"to=" + url.QueryEscape("2026-11-21T09:02:00Z"), []string{b, a}}, // a date-time ends before it
			{"from=2026-11-21&to=2026-11-21", []string{b, a, dd, c}},          // a date is the whole day (UTC)
			{"to=2026-11-20", []string{}},
			{"from=" + url.QueryEscape("2026-11-21T10:01:00+01:00"), []string{b, dd, c}},
			{"read=unread", []string{b, a, c}}, // the admin read nothing; D has no messages
			{"read=read", []string{dd}},
		} {
			if got := listed(t, f.admin, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("%q: got %v, want %v", tc.query, got, tc.want)
			}
		}
		f.admin.Do("POST", "/api/v1/interactions/"+a+"/read", nil).Expect(t, 200)
		if got := listed(t, f.admin, "read=read"); !slices.Equal(got, []string{a, dd}) {
			t.Errorf("read after reading A: %v", got)
		}

		// What each row shows.
		rows := map[string]map[string]any{}
		for _, it := range listPage(t, f.admin, "").Items {
			rows[idOf(it)] = it
		}
		ra, rb, rc, rd := rows[a], rows[b], rows[c], rows[dd]
		if acc := ra["account"].(map[string]any); acc["name"] != "Shop" || acc["channel"] != "chat" || idOf(acc) != id(f.shop) {
			t.Errorf("A account %v", ra["account"])
		}
		if own := ra["owner"].(map[string]any); own["name"] != "Agent mario" || idOf(own) != f.marioID {
			t.Errorf("A owner %v", ra["owner"])
		}
		if tags := ra["tags"].([]any); len(tags) != 2 || tags[0].(map[string]any)["name"] != "Angry" ||
			tags[1].(map[string]any)["colour"] != "#1e90ff" {
			t.Errorf("A tags %v", ra["tags"])
		}
		if ra["unread"] != 0.0 || rb["unread"] != 2.0 || rc["unread"] != 1.0 || rd["unread"] != 0.0 {
			t.Errorf("unread %v %v %v %v", ra["unread"], rb["unread"], rc["unread"], rd["unread"])
		}
		if ra["related_unmanaged"] != 1.0 || rc["related_unmanaged"] != 0.0 || rb["related_unmanaged"] != 0.0 {
			t.Errorf("related unmanaged %v %v %v", ra["related_unmanaged"], rc["related_unmanaged"], rb["related_unmanaged"])
		}
		if ra["last_message_direction"] != "in" || ra["last_message_at"] != "2026-11-21T09:05:00Z" || ra["status"] != "closed" ||
			ra["closed_at"] == nil || ra["contact_name"] != "Anna Bianchi" || ra["contact_key"] != "anna@example.com" ||
			ra["channel"] != "chat" || ra["subject"] != "Order late" || ra["created_at"] != "2026-11-21T09:00:00Z" {
			t.Errorf("A row %v", ra)
		}
		if ss := rb["sub_status"].(map[string]any); ss["name"] != f.pending["name"] {
			t.Errorf("B sub-status %v", rb["sub_status"])
		}
		if rd["account"] != nil || rd["owner"] != nil || rd["last_message_at"] != nil || rd["sub_status"] != nil ||
			len(rd["tags"].([]any)) != 0 || len(rd["watching"].([]any)) != 0 || rd["queue_id"] == nil {
			t.Errorf("D row %v", rd)
		}

		// The agent's tabs: his open interactions with unread, tags, sub-status and account.
		mine := listOf(t, f.mario.Do("GET", "/api/v1/me/interactions", nil).Expect(t, 200).Map(t))
		if len(mine) != 1 {
			t.Fatalf("my interactions %v", mine)
		}
		tab := mine[0].(map[string]any)
		if idOf(tab) != b || tab["unread"] != 2.0 || tab["sub_status"].(map[string]any)["name"] != f.pending["name"] ||
			tab["account"].(map[string]any)["name"] != "Blog" || tab["tags"] == nil || tab["owner_id"] == nil {
			t.Errorf("tab %v", tab)
		}
	})
}

func TestInteractionListsRefuseBadParameters(t *testing.T) {
	rs := newRoutingSite(t)
	for i := 0; i < 3; i++ {
		rs.newInteraction(t, rs.queue["id"])
	}
	byID := listPage(t, rs.admin, "sort=id&limit=1")
	if byID.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	foreign := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"last_message","d":true,"k":"yesterday","i":2}`))
	for query, field := range map[string]string{
		"cursor=garbage!":                              "cursor",
		"cursor=" + foreign:                            "cursor",
		"sort=subject&cursor=" + *byID.NextCursor:      "cursor", // a cursor of another order
		"sort=id&order=asc&cursor=" + *byID.NextCursor: "cursor",
		"sort=colour":                                  "sort",
		"order=up":                                     "order",
		"limit=0":                                      "limit",
		"limit=201":                                    "limit",
		"status=lost":                                  "status",
		"read=maybe":                                   "read",
		"from=yesterday":                               "from",
		"to=2026-13-01":                                "to",
		"channel=pigeon":                               "channel",
		"agent_id=mario":                               "agent_id",
		"account_id=-1":                                "account_id",
		"sub_status_id=0":                              "sub_status_id",
		"tag_id=x":                                     "tag_id",
		"q=" + strings.Repeat("a", 201):                "q",
	} {
		r := rs.admin.Do("GET", "/api/v1/interactions?"+query, nil).Expect(t, http.StatusBadRequest)
		if _, ok := fields(t, r)[field]; !ok {
			t.Errorf("%s: the error does not name %s: %s", query[:min(len(query), 40)], field, r.Body)
		}
	}
}

// TestInteractionListsPageWithoutGapsOrDuplicates pages through every
// sort while new interactions arrive between pages: each interaction that
// was there shows exactly once, in order, whatever the ties.
func TestInteractionListsPageWithoutGapsOrDuplicates(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		subjects := []string{"Alpha", "beta", "Alpha", "Gamma", "alpha"}
		create := func(n int) {
			for i := range n {
				rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": rs.queue["id"],
					"subject": subjects[i%len(subjects)]}).Expect(t, 201)
				if i%3 == 2 { // three at a time share their start
					rs.site.Clock.Advance(time.Second)
				}
			}
		}
		create(23)
		for _, sort := range []string{"sort=last_message", "sort=id&order=asc", "sort=started&order=asc", "sort=subject&order=asc",
			"sort=subject", "sort=status"} {
			want := listed(t, rs.admin, sort+"&limit=200")
			var got []string
			seen := map[string]bool{}
			p := listPage(t, rs.admin, sort+"&limit=5")
			for pages := 1; ; pages++ {
				for _, it := range p.Items {
					if seen[idOf(it)] {
						t.Fatalf("%s: %s listed twice", sort, idOf(it))
					}
					seen[idOf(it)] = true
					if slices.Contains(want, idOf(it)) {
						got = append(got, idOf(it))
					}
				}
				if p.NextCursor == nil {
					break
				}
				if pages > 100 {
					t.Fatalf("%s: does not end", sort)
				}
				create(2) // arrivals between pages
				p = listPage(t, rs.admin, sort+"&limit=5&cursor="+url.QueryEscape(*p.NextCursor))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: paged %v\nwant %v", sort, got, want)
			}
		}
	})
}

// TestAnAgentListsOnlyWhatHeMayOpen: the interactions of the queues he
// works now and the ones he owns or first handled — whatever he searches,
// filters or sends as a cursor.
func TestAnAgentListsOnlyWhatHeMayOpen(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		sales := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales chat", "channel": "chat"}).Expect(t, 201).Map(t)
		rs.admin.Do("PUT", "/api/v1/agents/"+rs.giuliaID+"/queues", map[string]any{"queue_ids": []any{rs.queue["id"], sales["id"]}}).Expect(t, 200)
		rs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		mine := idOf(rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": rs.queue["id"], "subject": "Mine"}).Expect(t, 201).Map(t))
		rs.mario.Do("POST", "/api/v1/interactions/"+mine+"/accept", nil).Expect(t, 200)
		rs.giula.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		queued := idOf(rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": rs.queue["id"], "subject": "Queued"}).Expect(t, 201).Map(t))
		rs.giula.Do("POST", "/api/v1/interactions/"+queued+"/accept", nil).Expect(t, 200)
		secret := idOf(rs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": sales["id"], "subject": "Secret deal",
			"contact_name": "Zorro", "body": "confidential 777"}).Expect(t, 201).Map(t))
		rs.giula.Do("POST", "/api/v1/interactions/"+secret+"/accept", nil).Expect(t, 200)

		for query, want := range map[string][]string{
			"":                        {queued, mine},
			"q=secret":                {},
			"q=777":                   {},
			"q=zorro":                 {},
			"q=" + secret:             {},
			"agent_id=" + rs.giuliaID: {queued},
			"status=open":             {queued, mine},
			"sort=id&order=asc":       {mine, queued},
		} {
			if got := listed(t, rs.mario, query); !slices.Equal(got, want) {
				t.Errorf("mario %q: got %v, want %v", query, got, want)
			}
		}
		// A cursor only says where to start; it cannot widen what he sees.
		all := listPage(t, rs.admin, "sort=id&order=desc&limit=1")
		if idOf(all.Items[0]) != secret {
			t.Fatalf("admin's first %v", all.Items[0])
		}
		forged := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"id","d":true,"k":"99","i":99}`))
		for _, cur := range []string{*all.NextCursor, forged} {
			if got := listed(t, rs.mario, "sort=id&order=desc&cursor="+url.QueryEscape(cur)); slices.Contains(got, secret) {
				t.Errorf("cursor %s shows %v", cur, got)
			}
		}
		rs.mario.Do("GET", "/api/v1/interactions/"+secret, nil).Expect(t, http.StatusForbidden)
		rs.mario.Do("POST", "/api/v1/interactions/"+secret+"/watch", nil).Expect(t, http.StatusForbidden)
		if got := listed(t, rs.giula, "sort=id&order=asc"); !slices.Equal(got, []string{mine, queued, secret}) {
			t.Errorf("giulia %v", got)
		}

		// Out of his queues, an agent keeps what he owns or first handled.
		rs.mario.Do("POST", "/api/v1/me/logout", nil).Expect(t, 200)
		if got := listed(t, rs.mario, ""); !slices.Equal(got, []string{mine}) {
			t.Errorf("logged out: %v", got)
		}
		rs.mario.Do("GET", "/api/v1/interactions/"+mine, nil).Expect(t, 200)
		rs.mario.Do("GET", "/api/v1/interactions/"+queued, nil).Expect(t, http.StatusForbidden)

		// Users: their profile's queues, given realtime or reports read.
		for name, rights := range map[string]map[string]any{
			"reporter": {"reports": []string{"view", "read"}},
			"stranger": {"staff": []string{"view", "read"}},
		} {
			prof := rs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Profile " + name,
				"rights": rights, "queue_ids": []any{sales["id"]}}).Expect(t, 201).Map(t)
			rs.admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": name, "kind": "user",
				"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		}
		reporter, stranger := rs.site.Client(t), rs.site.Client(t)
		changeFirstPassword(t, reporter, "reporter", "User-Pass222")
		changeFirstPassword(t, stranger, "stranger", "User-Pass222")
		if got := listed(t, reporter, ""); !slices.Equal(got, []string{secret}) {
			t.Errorf("reporter %v", got)
		}
		reporter.Do("GET", "/api/v1/interactions/"+secret, nil).Expect(t, 200)
		reporter.Do("GET", "/api/v1/interactions/"+mine, nil).Expect(t, http.StatusForbidden)
		if got := listed(t, stranger, ""); len(got) != 0 {
			t.Errorf("stranger %v", got)
		}
		stranger.Do("GET", "/api/v1/interactions/"+secret, nil).Expect(t, http.StatusForbidden)
	})
}

// supervisors makes a user with realtime rights on queue (signed in), and
// one on another queue.
func (rs *routingSite) supervisors(t *testing.T) (sup, elsewhere *apptest.Client, supID string) {
	t.Helper()
	other := rs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales", "channel": "chat"}).Expect(t, 201).Map(t)
	for name, q := range map[string]any{"sup": rs.queue["id"], "elsewhere": other["id"]} {
		prof := rs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Profile " + name,
			"rights": map[string]any{"realtime": []string{"view", "read"}}, "queue_ids": []any{q}}).Expect(t, 201).Map(t)
		u := rs.admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": "Supervisor " + name,
			"kind": "user", "password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201).Map(t)
		if name == "sup" {
			supID = idOf(u)
		}
	}
	sup, elsewhere = rs.site.Client(t), rs.site.Client(t)
	changeFirstPassword(t, sup, "sup", "Sup-Pass222")
	changeFirstPassword(t, elsewhere, "elsewhere", "Sup-Pass222")
	return sup, elsewhere, supID
}

// watcherNames reads who is watching from an interaction or event data.
func watcherNames(t *testing.T, v any) []string {
	t.Helper()
	names := []string{}
	for _, w := range v.([]any) {
		names = append(names, w.(map[string]any)["name"].(string))
	}
	return names
}

func TestWatchersShowWhoHasTheInteractionOpen(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, map[string]any{"body": "Hi"})
		base := "/api/v1/interactions/" + id
		sup, elsewhere, _ := rs.supervisors(t)
		conn, _, err := dialWS(t, rs.site, rs.giula, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		readWS(t, conn) // hello
		watchersEvent := func() []string {
			t.Helper()
			var data map[string]any
			if err := json.Unmarshal(waitEvent(t, conn, "interaction.watchers_changed").Data, &data); err != nil {
				t.Fatal(err)
			}
			if idOf(map[string]any{"id": data["interaction_id"]}) != id {
				t.Fatalf("event of %v", data)
			}
			return watcherNames(t, data["watching"])
		}

		got := rs.mario.Do("POST", base+"/watch", nil).Expect(t, 200).Map(t)
		if names := watcherNames(t, got["watching"]); !slices.Equal(names, []string{"Agent mario"}) || got["expires_in_seconds"] != 60.0 {
			t.Fatalf("watch: %v", got)
		}
		if names := watchersEvent(); !slices.Equal(names, []string{"Agent mario"}) {
			t.Fatalf("event %v", names)
		}
		sup.Do("POST", base+"/watch", nil).Expect(t, 200)
		if names := watchersEvent(); !slices.Equal(names, []string{"Agent mario", "Supervisor sup"}) {
			t.Fatalf("event %v", names)
		}
		if names := watcherNames(t, rs.giula.Do("GET", base, nil).Expect(t, 200).Map(t)["watching"]); len(names) != 2 {
			t.Fatalf("interaction watching %v", names)
		}
		row := listPage(t, rs.admin, "").Items[0]
		if names := watcherNames(t, row["watching"]); !slices.Equal(names, []string{"Agent mario", "Supervisor sup"}) {
			t.Fatalf("list watching %v", names)
		}
		elsewhere.Do("POST", base+"/watch", nil).Expect(t, http.StatusForbidden)

		// Mario's screen renews; the supervisor's stops calling and lapses.
		rs.site.Clock.Advance(30 * time.Second)
		rs.mario.Do("POST", base+"/watch", nil).Expect(t, 200)
		rs.site.Clock.Advance(31 * time.Second)
		if names := watchersEvent(); !slices.Equal(names, []string{"Agent mario"}) {
			t.Fatalf("after the lapse: %v", names)
		}
		if names := watcherNames(t, rs.admin.Do("GET", base, nil).Expect(t, 200).Map(t)["watching"]); !slices.Equal(names, []string{"Agent mario"}) {
			t.Fatalf("after the lapse: %v", names)
		}
		rs.mario.Do("DELETE", base+"/watch", nil).Expect(t, http.StatusNoContent)
		if names := watchersEvent(); len(names) != 0 {
			t.Fatalf("after closing: %v", names)
		}
		if names := watcherNames(t, rs.admin.Do("GET", base, nil).Expect(t, 200).Map(t)["watching"]); len(names) != 0 {
			t.Fatalf("after closing: %v", names)
		}
		// Mario's earlier timer finds nothing left to sweep.
		rs.site.Clock.Advance(2 * time.Minute)
	})
}

// TestASupervisorSpiesOnALiveChat: a supervisor of the queue reads the
// conversation, gets its events live, and writes a note that reaches the
// agent's desktop at once and is never a message to the customer; a
// supervisor of another queue gets nothing.
func TestASupervisorSpiesOnALiveChat(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id := rs.ownedChat(t, map[string]any{"body": "Hello"})
		base := "/api/v1/interactions/" + id
		sup, elsewhere, supID := rs.supervisors(t)
		supWS, _, err := dialWS(t, rs.site, sup, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer supWS.CloseNow()
		agentWS, _, err := dialWS(t, rs.site, rs.mario, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer agentWS.CloseNow()
		readWS(t, supWS)
		readWS(t, agentWS)

		sup.Do("GET", base, nil).Expect(t, 200)
		if msgs := listOf(t, sup.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)); len(msgs) != 1 {
			t.Fatalf("supervisor reads %v", msgs)
		}
		sup.Do("GET", base+"/notes", nil).Expect(t, 200)

		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "Is anyone there?"}).Expect(t, 201) // the customer writes
		rs.mario.Do("POST", base+"/messages", map[string]any{"body": "Yes, one moment."}).Expect(t, 201)
		for _, want := range []string{"message.received", "message.sent"} {
			if ev := waitEvent(t, supWS, want); !strings.Contains(string(ev.Data), id) {
				t.Fatalf("%s %s", want, ev.Data)
			}
		}

		note := sup.Do("POST", base+"/notes", map[string]any{"body": "Offer the voucher"}).Expect(t, 201).Map(t)
		ev := waitEvent(t, agentWS, "interaction.note_added")
		var data map[string]any
		if err := json.Unmarshal(ev.Data, &data); err != nil || idOf(map[string]any{"id": data["note_id"]}) != idOf(note) {
			t.Fatalf("note event %s", ev.Data)
		}
		if idOf(map[string]any{"id": note["author_id"]}) != supID {
			t.Fatalf("note %v", note)
		}
		notes := listOf(t, rs.mario.Do("GET", base+"/notes", nil).Expect(t, 200).Map(t))
		if len(notes) != 1 || notes[0].(map[string]any)["body"] != "Offer the voucher" {
			t.Fatalf("the agent's notes %v", notes)
		}
		for _, m := range listOf(t, rs.mario.Do("GET", base+"/messages", nil).Expect(t, 200).Map(t)) {
			if strings.Contains(fmt.Sprint(m), "voucher") {
				t.Fatalf("the note became a message: %v", m)
			}
		}
		rs.mario.Do("PUT", base+"/tags", map[string]any{"tag_ids": []any{}}).Expect(t, 200)
		waitEvent(t, supWS, "interaction.tags_changed")
		rs.mario.Do("POST", base+"/close", map[string]any{}).Expect(t, 200)
		waitEvent(t, supWS, "interaction.closed")

		// A supervisor of another queue may not look, nor write.
		elsewhere.Do("GET", base, nil).Expect(t, http.StatusForbidden)
		elsewhere.Do("GET", base+"/messages", nil).Expect(t, http.StatusForbidden)
		elsewhere.Do("POST", base+"/notes", map[string]any{"body": "x"}).Expect(t, http.StatusForbidden)
		sup.Do("POST", base+"/messages", map[string]any{"body": "I am the agent now"}).Expect(t, http.StatusForbidden)
	})
}

// waitEvent reads a socket until an event of the type arrives.
func waitEvent(t *testing.T, conn *websocket.Conn, typ string) wsMsg {
	t.Helper()
	for {
		if m := readWS(t, conn); m.Event == typ {
			return m
		}
	}
}
