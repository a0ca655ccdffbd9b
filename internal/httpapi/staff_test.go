package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func idOf(m map[string]any) string { return strconv.Itoa(int(m["id"].(float64))) }

func fields(t *testing.T, r *apptest.Response) map[string]any {
	t.Helper()
	f, _ := r.Map(t)["fields"].(map[string]any)
	return f
}

func TestAgentCreationGeneratesUniqueExtensionsAndValidates(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		a := admin.Do("POST", "/api/v1/agents", map[string]any{"username": "mario.rossi", "full_name": "Mario Rossi",
			"alias": "Mario", "typology": "webrtc", "email": "mario@example.com", "password": "Temp-Pass1",
			"description": "Night shift", "login_in_pause": true}).Expect(t, 201).Map(t)
		b := createAgent(t, admin, "giulia", "")
		if a["extension"] != "1001" || b["extension"] != "1002" {
			t.Fatalf("extensions %v %v", a["extension"], b["extension"])
		}
		if a["alias"] != "Mario" || a["typology"] != "webrtc" || a["login_in_pause"] != true {
			t.Fatalf("fields not stored: %v", a)
		}
		chat := a["channels"].(map[string]any)["chat"].(map[string]any)
		if chat["capacity"] != float64(0) || len(a["channels"].(map[string]any)) != 6 {
			t.Fatalf("default channels %v", a["channels"])
		}
		r := admin.Do("POST", "/api/v1/agents", map[string]any{"username": "luca", "full_name": "Luca",
			"password": "Temp-Pass1", "extension": "1001"}).Expect(t, 409)
		if fields(t, r)["extension"] == nil {
			t.Fatalf("duplicate extension: %s", r.Body)
		}
		r = admin.Do("POST", "/api/v1/agents", map[string]any{"username": "luca", "full_name": "Luca",
			"password": "Temp-Pass1", "typology": "pigeon", "extension": "12a"}).Expect(t, 400)
		if f := fields(t, r); f["typology"] == nil || f["extension"] == nil {
			t.Fatalf("bad typology/extension: %s", r.Body)
		}
		// Nothing half-saved: the refused agents do not exist.
		if list := admin.Do("GET", "/api/v1/agents?q=luca", nil).Expect(t, 200).Map(t); list["total"] != float64(0) {
			t.Fatalf("refused agent stored: %v", list)
		}
	})
}

func TestAgentPatchTakesEffectAtOnceAndRefusesBadInputWhole(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		id := idOf(createAgent(t, admin, "mario", ""))
		got := admin.Do("PATCH", "/api/v1/agents/"+id, map[string]any{
			"alias":       "Super Mario",
			"channels":    map[string]any{"whatsapp": map[string]any{"capacity": 3, "auto_answer": true, "auto_answer_delay": 5}},
			"permissions": map[string]any{"download_transcripts": true, "sidebar": []string{"dashboard", "whatsapp"}},
			"client_log":  map[string]any{"enabled": true, "level": "INFO"},
		}).Expect(t, 200).Map(t)
		wa := got["channels"].(map[string]any)["whatsapp"].(map[string]any)
		perms := got["permissions"].(map[string]any)
		if got["alias"] != "Super Mario" || wa["capacity"] != float64(3) || wa["auto_answer"] != true ||
			perms["download_transcripts"] != true || len(perms["sidebar"].([]any)) != 2 ||
			got["client_log"].(map[string]any)["level"] != "INFO" {
			t.Fatalf("patch not applied: %v", got)
		}
		// Another chat setting stays as it was.
		if got["channels"].(map[string]any)["chat"].(map[string]any)["capacity"] != float64(0) {
			t.Fatalf("untouched channel changed")
		}
		r := admin.Do("PATCH", "/api/v1/agents/"+id, map[string]any{"alias": "Changed",
			"channels": map[string]any{"sms": map[string]any{"capacity": -1}}, "permissions": map[string]any{"sidebar": []string{"casino"}}}).
			Expect(t, 400)
		if f := fields(t, r); f["channels.sms.capacity"] == nil || f["permissions.sidebar"] == nil {
			t.Fatalf("fields %s", r.Body)
		}
		if again := admin.Do("GET", "/api/v1/agents/"+id, nil).Map(t); again["alias"] != "Super Mario" {
			t.Fatalf("half-saved: alias %v", again["alias"])
		}
		// Disabling ends his sessions and keeps him out.
		agent := site.Client(t)
		changeFirstPassword(t, agent, "mario", "Mario-Pass22")
		admin.Do("PATCH", "/api/v1/agents/"+id, map[string]any{"disabled": true}).Expect(t, 200)
		agent.Do("GET", "/api/v1/auth/me", nil).Expect(t, 401)
		agent.Do("POST", "/api/v1/auth/login", map[string]string{"username": "mario", "password": "Mario-Pass22"}).Expect(t, 403)
	})
}

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func uploadAvatar(t *testing.T, c *apptest.Client, id, filename string, data []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	return c.DoRaw("PUT", "/api/v1/agents/"+id+"/avatar", mw.FormDataContentType(), body.Bytes())
}

func TestAvatarIsCheckedByContentStoredAndThumbnailed(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		id := idOf(createAgent(t, admin, "mario", ""))
		got := uploadAvatar(t, admin, id, "me.png", pngBytes(t, 400, 300)).Expect(t, 200).Map(t)
		thumbURL, _ := got["avatar_thumbnail_url"].(string)
		if thumbURL == "" || got["avatar_url"] == nil {
			t.Fatalf("no avatar urls: %v", got)
		}
		full := admin.Do("GET", got["avatar_url"].(string), nil).Expect(t, 200)
		if full.Header.Get("Content-Type") != "image/png" || len(full.Body) == 0 {
			t.Fatalf("full image: %v", full.Header)
		}
		thumb := admin.Do("GET", thumbURL, nil).Expect(t, 200)
		cfg, _, err := image.DecodeConfig(bytes.NewReader(thumb.Body))
		if err != nil || cfg.Width != 96 || cfg.Height != 96 {
			t.Fatalf("thumbnail %v %v", cfg, err)
		}
		// A JPEG is fine too.
		var jb bytes.Buffer
		jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 50, 80)), nil)
		uploadAvatar(t, admin, id, "me.jpg", jb.Bytes()).Expect(t, 200)
		// The name does not matter: a text file called .png is refused.
		r := uploadAvatar(t, admin, id, "evil.png", []byte("<svg onload=alert(1)>not an image</svg>")).Expect(t, 400)
		if fields(t, r)["file"] != "must be a PNG or JPG image" {
			t.Fatalf("fake png: %s", r.Body)
		}
		// A GIF is an image, but not one the reference allows.
		uploadAvatar(t, admin, id, "x.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")).Expect(t, 400)
		// Over 8 MB: 413, and the stored avatar is untouched.
		big := append(pngBytes(t, 10, 10), make([]byte, 8<<20)...)
		uploadAvatar(t, admin, id, "big.png", big).Expect(t, http.StatusRequestEntityTooLarge)
		after := admin.Do("GET", "/api/v1/agents/"+id+"/avatar", nil).Expect(t, 200)
		if after.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("avatar changed by a refused upload: %v", after.Header.Get("Content-Type"))
		}
		admin.Do("DELETE", "/api/v1/agents/"+id+"/avatar", nil).Expect(t, 200)
		admin.Do("GET", "/api/v1/agents/"+id+"/avatar", nil).Expect(t, 404)
	})
}

func TestSoftDeleteRestoreAndPurge(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		mario := idOf(createAgent(t, admin, "mario", ""))
		giulia := idOf(createAgent(t, admin, "giulia", ""))
		createAgent(t, admin, "luca", "")
		admin.Do("POST", "/api/v1/agents/delete", map[string]any{"ids": []any{atoi(mario), atoi(giulia)}}).Expect(t, 200)
		list := admin.Do("GET", "/api/v1/agents", nil).Map(t)
		if list["total"] != float64(1) {
			t.Fatalf("deleted agents still listed: %v", list)
		}
		admin.Do("GET", "/api/v1/agents/"+mario, nil).Expect(t, 404)
		// The username stays taken until the member is purged.
		r := admin.Do("POST", "/api/v1/agents", map[string]any{"username": "mario", "full_name": "Other", "password": "Temp-Pass1"}).Expect(t, 409)
		if fields(t, r)["username"] == nil {
			t.Fatalf("%s", r.Body)
		}
		deleted := admin.Do("GET", "/api/v1/deleted-members", nil).Expect(t, 200).Map(t)
		if deleted["total"] != float64(2) {
			t.Fatalf("deleted members %v", deleted)
		}
		admin.Do("POST", "/api/v1/deleted-members/"+mario+"/restore", nil).Expect(t, 204)
		admin.Do("GET", "/api/v1/agents/"+mario, nil).Expect(t, 200)
		admin.Do("DELETE", "/api/v1/deleted-members/"+mario, nil).Expect(t, 404) // live: not purgeable
		admin.Do("DELETE", "/api/v1/deleted-members/"+giulia, nil).Expect(t, 204)
		admin.Do("POST", "/api/v1/agents", map[string]any{"username": "giulia", "full_name": "New Giulia", "password": "Temp-Pass1"}).Expect(t, 201)
		// The history of the purged member stays in the event log.
		ev := admin.Do("GET", "/api/v1/events?subject_type=principal&subject_id="+giulia, nil).Map(t)
		if len(ev["items"].([]any)) < 3 {
			t.Fatalf("history lost on purge: %v", ev)
		}
	})
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestAgentsCSVExportQuotesAndKeepsUTF8(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	a := admin.Do("POST", "/api/v1/agents", map[string]any{"username": "nicolo", "full_name": `Niccolò "Nico", Jr.`,
		"password": "Temp-Pass1", "description": "line one\nline two"}).Expect(t, 201).Map(t)
	b := createAgent(t, admin, "plain", "")
	createAgent(t, admin, "not.selected", "")
	r := admin.Do("GET", "/api/v1/agents/export.csv?ids="+idOf(a)+","+idOf(b), nil).Expect(t, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("headers %v", r.Header)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][1] != "username" || rows[1][2] != `Niccolò "Nico", Jr.` || rows[1][8] != "line one\nline two" ||
		rows[2][1] != "plain" {
		t.Fatalf("rows %q", rows)
	}
	admin.Do("GET", "/api/v1/agents/export.csv", nil).Expect(t, 400)
}

func TestTeamsMembersQueuesAndExport(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		mario := createAgent(t, admin, "mario", "")
		giulia := createAgent(t, admin, "giulia", "")
		team := admin.Do("POST", "/api/v1/teams", map[string]string{"name": "Sales", "description": "North"}).Expect(t, 201).Map(t)
		r := admin.Do("POST", "/api/v1/teams", map[string]string{"name": "sales"}).Expect(t, 409)
		if fields(t, r)["name"] == nil {
			t.Fatalf("%s", r.Body)
		}
		admin.Do("POST", "/api/v1/teams", map[string]string{"name": " "}).Expect(t, 400)
		tid := idOf(team)
		got := admin.Do("POST", "/api/v1/teams/"+tid+"/agents", map[string]any{"agent_ids": []any{mario["id"], giulia["id"]}}).Expect(t, 200).Map(t)
		if len(got["agents"].([]any)) != 2 {
			t.Fatalf("members %v", got)
		}
		admin.Do("POST", "/api/v1/teams/"+tid+"/agents", map[string]any{"agent_ids": []any{9999}}).Expect(t, 400)
		q := admin.Do("POST", "/api/v1/queues", map[string]string{"name": "Support chat", "channel": "chat"}).Expect(t, 201).Map(t)
		admin.Do("PUT", "/api/v1/teams/"+tid+"/queues", map[string]any{"queue_ids": []any{q["id"]}}).Expect(t, 200)
		ag := admin.Do("GET", "/api/v1/agents/"+idOf(mario), nil).Map(t)
		queues := ag["queues"].([]any)
		if len(queues) != 1 || queues[0].(map[string]any)["via"] != "team" || len(ag["teams"].([]any)) != 1 {
			t.Fatalf("agent's queues via team: %v %v", ag["queues"], ag["teams"])
		}
		got = admin.Do("DELETE", "/api/v1/teams/"+tid+"/agents/"+idOf(giulia), nil).Expect(t, 200).Map(t)
		if len(got["agents"].([]any)) != 1 {
			t.Fatalf("after remove %v", got)
		}
		hist := admin.Do("GET", "/api/v1/agents/"+idOf(giulia)+"/history", nil).Map(t)["items"].([]any)
		if hist[0].(map[string]any)["type"] != "team.member_removed" || hist[1].(map[string]any)["type"] != "team.member_added" {
			t.Fatalf("history %v", hist)
		}
		csvr := admin.Do("GET", "/api/v1/teams/export.csv?ids="+tid, nil).Expect(t, 200)
		if !bytes.Contains(csvr.Body, []byte("Sales,North,1,mario")) {
			t.Fatalf("csv %s", csvr.Body)
		}
		admin.Do("POST", "/api/v1/teams/delete", map[string]any{"ids": []any{team["id"]}}).Expect(t, 200)
		admin.Do("GET", "/api/v1/teams/"+tid, nil).Expect(t, 404)
		// The agents stay.
		admin.Do("GET", "/api/v1/agents/"+idOf(mario), nil).Expect(t, 200)
	})
}

// TestUserWithLimitedProfileOnlyOperatesOnAgentsOfHisQueues: the reference's
// "a user can only operate on agents that are added to the queues to which
// he/she is enabled", on every endpoint.
func TestUserWithLimitedProfileOnlyOperatesOnAgentsOfHisQueues(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		sales := admin.Do("POST", "/api/v1/queues", map[string]string{"name": "Sales", "channel": "whatsapp"}).Expect(t, 201).Map(t)
		support := admin.Do("POST", "/api/v1/queues", map[string]string{"name": "Support", "channel": "chat"}).Expect(t, 201).Map(t)
		inside := createAgent(t, admin, "inside", "")
		viaTeam := createAgent(t, admin, "via.team", "")
		outside := createAgent(t, admin, "outside", "")
		admin.Do("PUT", "/api/v1/agents/"+idOf(inside)+"/queues", map[string]any{"queue_ids": []any{sales["id"]}}).Expect(t, 200)
		admin.Do("PUT", "/api/v1/agents/"+idOf(outside)+"/queues", map[string]any{"queue_ids": []any{support["id"]}}).Expect(t, 200)
		team := admin.Do("POST", "/api/v1/teams", map[string]string{"name": "T"}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/teams/"+idOf(team)+"/agents", map[string]any{"agent_ids": []any{viaTeam["id"]}}).Expect(t, 200)
		admin.Do("PUT", "/api/v1/teams/"+idOf(team)+"/queues", map[string]any{"queue_ids": []any{sales["id"]}}).Expect(t, 200)

		prof := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Sales supervisors",
			"rights": map[string]any{"staff": []string{"view", "read", "edit", "delete"}}, "queue_ids": []any{sales["id"]}}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/users", map[string]any{"username": "sup", "full_name": "Sup", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		sup := site.Client(t)
		changeFirstPassword(t, sup, "sup", "Sup-Pass222")
		me := sup.Do("GET", "/api/v1/auth/me", nil).Map(t)
		if len(me["rights"].(map[string]any)["staff"].([]any)) != 4 {
			t.Fatalf("rights %v", me["rights"])
		}

		list := sup.Do("GET", "/api/v1/agents", nil).Expect(t, 200).Map(t)
		if list["total"] != float64(2) {
			t.Fatalf("user sees %v agents", list["total"])
		}
		out := idOf(outside)
		for _, rq := range []struct{ method, path string }{
			{"GET", "/api/v1/agents/" + out}, {"PATCH", "/api/v1/agents/" + out}, {"DELETE", "/api/v1/agents/" + out},
			{"POST", "/api/v1/agents/" + out + "/unlock"}, {"PUT", "/api/v1/agents/" + out + "/password"},
			{"PUT", "/api/v1/agents/" + out + "/queues"}, {"GET", "/api/v1/agents/" + out + "/history"},
			{"GET", "/api/v1/agents/" + out + "/client-logs"}, {"GET", "/api/v1/agents/export.csv?ids=" + out},
			{"POST", "/api/v1/agents/delete"}, {"POST", "/api/v1/teams/" + idOf(team) + "/agents"},
		} {
			body := map[string]any{"alias": "x", "password": "Temp-Pass1", "queue_ids": []any{}, "ids": []any{outside["id"]},
				"agent_ids": []any{outside["id"]}}
			if r := sup.Do(rq.method, rq.path, body); r.Status != http.StatusForbidden {
				t.Errorf("%s %s on an agent outside his queues: %d %s", rq.method, rq.path, r.Status, r.Body)
			}
		}
		// Inside his queues (directly or through a team) he can work.
		sup.Do("PATCH", "/api/v1/agents/"+idOf(inside), map[string]any{"alias": "In"}).Expect(t, 200)
		sup.Do("GET", "/api/v1/agents/"+idOf(viaTeam), nil).Expect(t, 200)
		// He cannot move an agent into a queue he does not have.
		sup.Do("PUT", "/api/v1/agents/"+idOf(inside)+"/queues", map[string]any{"queue_ids": []any{support["id"]}}).Expect(t, 403)
		// A new agent must go into one of his queues.
		sup.Do("POST", "/api/v1/agents", map[string]any{"username": "new.one", "full_name": "N", "password": "Temp-Pass1"}).Expect(t, 400)
		sup.Do("POST", "/api/v1/agents", map[string]any{"username": "new.one", "full_name": "N", "password": "Temp-Pass1",
			"queue_ids": []any{sales["id"]}}).Expect(t, 201)
		// Queues beyond his profile are invisible; users and profiles are admin business.
		if qs := sup.Do("GET", "/api/v1/queues", nil).Expect(t, 200).Map(t)["items"].([]any); len(qs) != 1 {
			t.Fatalf("queues %v", qs)
		}
		sup.Do("GET", "/api/v1/users", nil).Expect(t, 403)
		sup.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "x"}).Expect(t, 403)
		sup.Do("POST", "/api/v1/queues", map[string]any{"name": "x", "channel": "sms"}).Expect(t, 403)
		// A user with no staff rights gets nothing.
		none := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Readers", "queue_ids": []any{sales["id"]}}).Expect(t, 201).Map(t)
		admin.Do("PATCH", "/api/v1/users/"+idOf(me["principal"].(map[string]any)), map[string]any{"user_profile_id": none["id"]}).Expect(t, 200)
		sup.Do("GET", "/api/v1/agents", nil).Expect(t, 403)
	})
}

func TestUserProfilesValidateAndCannotBeDeletedInUse(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		r := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Bad", "rights": map[string]any{"casino": []string{"view"},
			"staff": []string{"fly"}}, "queue_ids": []any{42}}).Expect(t, 400)
		if f := fields(t, r); f["rights.casino"] == nil || f["rights.staff"] == nil {
			t.Fatalf("%s", r.Body)
		}
		admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Q", "queue_ids": []any{42}}).Expect(t, 400)
		p := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Team leads",
			"rights": map[string]any{"staff": []string{"view"}}}).Expect(t, 201).Map(t)
		u := admin.Do("POST", "/api/v1/users", map[string]any{"username": "lead", "full_name": "Lead", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": p["id"]}).Expect(t, 201).Map(t)
		if u["user_profile"].(map[string]any)["name"] != "Team leads" {
			t.Fatalf("user %v", u)
		}
		r = admin.Do("DELETE", "/api/v1/user-profiles/"+idOf(p), nil).Expect(t, 409)
		if !strings.Contains(r.Map(t)["message"].(string), "assigned to 1 user") {
			t.Fatalf("%s", r.Body)
		}
		// A supervisor needs a profile.
		r = admin.Do("PATCH", "/api/v1/users/"+idOf(u), map[string]any{"user_profile_id": nil}).Expect(t, 400)
		if fields(t, r)["user_profile_id"] == nil {
			t.Fatalf("%s", r.Body)
		}
		admin.Do("PATCH", "/api/v1/users/"+idOf(u), map[string]any{"kind": "admin", "user_profile_id": nil}).Expect(t, 200)
		admin.Do("DELETE", "/api/v1/user-profiles/"+idOf(p), nil).Expect(t, 204)
		// An admin cannot demote himself (and lock everyone out).
		admin.Do("PATCH", "/api/v1/users/1", map[string]any{"kind": "user"}).Expect(t, 400)
		admin.Do("POST", "/api/v1/users/delete", map[string]any{"ids": []any{1}}).Expect(t, 400)
	})
}

func TestAuditHistoryNamesWhoChangedWhat(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		id := idOf(createAgent(t, admin, "mario", ""))
		admin.Do("PATCH", "/api/v1/agents/"+id, map[string]any{"alias": "M", "phone": "+39 02 1"}).Expect(t, 200)
		items := admin.Do("GET", "/api/v1/agents/"+id+"/history", nil).Expect(t, 200).Map(t)["items"].([]any)
		last := items[0].(map[string]any)
		if last["type"] != "principal.updated" || last["actor"].(map[string]any)["username"] != "admin" ||
			!strings.Contains(string(mustJSON(last["data"])), `"alias","phone"`) {
			t.Fatalf("history %v", items)
		}
		if items[len(items)-1].(map[string]any)["type"] != "principal.created" {
			t.Fatalf("first event %v", items[len(items)-1])
		}
	})
}

func TestClientLogsKeepOnlyLinesAtTheChosenLevel(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		id := idOf(createAgent(t, admin, "mario", ""))
		agent := site.Client(t)
		changeFirstPassword(t, agent, "mario", "Mario-Pass22")
		lines := map[string]any{"lines": []map[string]string{{"level": "ERROR", "message": "boom"}, {"level": "WARNING", "message": "careful"},
			{"level": "INFO", "message": "hello"}, {"level": "DEBUG", "message": "details"}}}
		if got := agent.Do("POST", "/api/v1/me/client-logs", lines).Expect(t, 200).Map(t); got["accepted"] != float64(0) {
			t.Fatalf("logging off but kept %v", got)
		}
		me := agent.Do("GET", "/api/v1/me/agent", nil).Expect(t, 200).Map(t)
		if me["client_log"].(map[string]any)["enabled"] != false {
			t.Fatalf("me %v", me["client_log"])
		}
		admin.Do("PATCH", "/api/v1/agents/"+id, map[string]any{"client_log": map[string]any{"enabled": true, "level": "WARNING"}}).Expect(t, 200)
		// The agent's desktop learns that logging is on.
		me = agent.Do("GET", "/api/v1/me/agent", nil).Map(t)
		if me["client_log"].(map[string]any)["enabled"] != true {
			t.Fatalf("me %v", me["client_log"])
		}
		if got := agent.Do("POST", "/api/v1/me/client-logs", lines).Expect(t, 200).Map(t); got["accepted"] != float64(2) {
			t.Fatalf("accepted %v", got)
		}
		logs := admin.Do("GET", "/api/v1/agents/"+id+"/client-logs", nil).Expect(t, 200).Map(t)["items"].([]any)
		if len(logs) != 2 || logs[0].(map[string]any)["message"] != "careful" {
			t.Fatalf("logs %v", logs)
		}
		txt := admin.Do("GET", "/api/v1/agents/"+id+"/client-logs.txt", nil).Expect(t, 200)
		if !bytes.Contains(txt.Body, []byte("ERROR   boom")) || bytes.Contains(txt.Body, []byte("hello")) {
			t.Fatalf("download %s", txt.Body)
		}
		admin.Do("GET", "/api/v1/me/agent", nil).Expect(t, 403)
		agent.Do("POST", "/api/v1/me/client-logs", map[string]any{"lines": []map[string]string{{"level": "ERROR"}}}).Expect(t, 400)
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// bothDialects runs a staff test on a site backed by SQLite and by PostgreSQL.
func bothDialects(t *testing.T, fn func(t *testing.T, site *apptest.Site)) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		fn(t, apptest.Start(t, apptest.Options{Dialect: d}))
	})
}

func TestUserProfilesLimitWhichListsAUserSees(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		vip := admin.Do("POST", "/api/v1/lists", map[string]any{"name": "VIP customers"}).Expect(t, 201).Map(t)
		all := admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Everyone"}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/lists", map[string]any{"name": "vip CUSTOMERS"}).Expect(t, 409)
		prof := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Contact keepers",
			"rights": map[string]any{"contacts": []string{"view", "read", "edit"}}, "list_ids": []any{all["id"]}}).Expect(t, 201).Map(t)
		if len(prof["list_ids"].([]any)) != 1 {
			t.Fatalf("profile %v", prof)
		}
		admin.Do("PATCH", "/api/v1/user-profiles/"+idOf(prof), map[string]any{"list_ids": []any{999}}).Expect(t, 400)
		admin.Do("POST", "/api/v1/users", map[string]any{"username": "keeper", "full_name": "K", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		u := site.Client(t)
		changeFirstPassword(t, u, "keeper", "Keep-Pass22")
		lists := u.Do("GET", "/api/v1/lists", nil).Expect(t, 200).Map(t)["items"].([]any)
		if len(lists) != 1 || lists[0].(map[string]any)["name"] != "Everyone" {
			t.Fatalf("user sees %v", lists)
		}
		u.Do("GET", "/api/v1/lists/"+idOf(vip), nil).Expect(t, 403)
		u.Do("PATCH", "/api/v1/lists/"+idOf(vip), map[string]any{"name": "Mine"}).Expect(t, 403)
		u.Do("PATCH", "/api/v1/lists/"+idOf(all), map[string]any{"name": "All of them"}).Expect(t, 200)
		u.Do("DELETE", "/api/v1/lists/"+idOf(all), nil).Expect(t, 403) // no delete right
		if len(admin.Do("GET", "/api/v1/lists", nil).Map(t)["items"].([]any)) != 2 {
			t.Fatal("admin does not see every list")
		}
	})
}
