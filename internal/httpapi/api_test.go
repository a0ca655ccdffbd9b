package httpapi_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/mail/mailtest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func createAgent(t *testing.T, admin *apptest.Client, username, email string) map[string]any {
	t.Helper()
	return admin.Do("POST", "/api/v1/agents", map[string]string{"username": username, "full_name": "Agent " + username,
		"email": email, "password": "Temp-Pass1"}).Expect(t, http.StatusCreated).Map(t)
}

// changeFirstPassword signs a new account in and does its forced change.
func changeFirstPassword(t *testing.T, c *apptest.Client, username, next string) {
	t.Helper()
	if m := c.Login(username, "Temp-Pass1"); m["password_change_required"] != true {
		t.Fatalf("first login does not require a change: %v", m)
	}
	c.Do("POST", "/api/v1/auth/password", map[string]string{"current_password": "Temp-Pass1", "new_password": next}).
		Expect(t, http.StatusNoContent)
}

func TestLoginSetsSecureSessionCookieOnBothDialects(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		site := apptest.Start(t, apptest.Options{Dialect: d})
		c := site.Client(t)
		r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": apptest.AdminPassword})
		r.Expect(t, http.StatusOK)
		cookie := r.Header.Get("Set-Cookie")
		for _, want := range []string{"sb_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("cookie %q lacks %s", cookie, want)
			}
		}
		m := r.Map(t)
		c.CSRF = m["csrf_token"].(string)
		me := c.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusOK).Map(t)
		if me["principal"].(map[string]any)["username"] != "admin" || me["principal"].(map[string]any)["kind"] != "admin" {
			t.Fatalf("me: %v", me)
		}
		c.Do("POST", "/api/v1/auth/logout", nil).Expect(t, http.StatusNoContent)
		c.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusUnauthorized)
	})
}

func TestWrongPasswordIs401AndLockoutIs423UntilAdminUnlocks(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	admin.Do("PUT", "/api/v1/settings/security", map[string]any{"enabled": true, "max_failed_logins": 3,
		"password_max_age_days": 90, "expiry_warning_days": 15, "mask_characters": 4}).Expect(t, http.StatusOK)
	agent := createAgent(t, admin, "mario.rossi", "")
	c := site.Client(t)
	bad := map[string]string{"username": "mario.rossi", "password": "Wrong-Pass1"}
	c.Do("POST", "/api/v1/auth/login", bad).Expect(t, http.StatusUnauthorized)
	c.Do("POST", "/api/v1/auth/login", bad).Expect(t, http.StatusUnauthorized)
	r := c.Do("POST", "/api/v1/auth/login", bad).Expect(t, http.StatusLocked)
	if r.Map(t)["code"] != "locked" {
		t.Fatalf("body %s", r.Body)
	}
	c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "mario.rossi", "password": "Temp-Pass1"}).
		Expect(t, http.StatusLocked)
	id := int(agent["id"].(float64))
	got := admin.Do("GET", "/api/v1/agents/"+strconv.Itoa(id), nil).Expect(t, http.StatusOK).Map(t)
	if got["locked"] != true || got["lock_reason"] != "3 failed logins" {
		t.Fatalf("agent %v", got)
	}
	un := admin.Do("POST", "/api/v1/agents/"+strconv.Itoa(id)+"/unlock", nil).Expect(t, http.StatusOK).Map(t)
	if un["locked"] != false {
		t.Fatalf("after unlock %v", un)
	}
	c.Login("mario.rossi", "Temp-Pass1")
}

func TestCookieWritesNeedTheCSRFToken(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	c := site.Admin(t)
	token := c.CSRF
	c.CSRF = ""
	r := c.Do("POST", "/api/v1/api-tokens", map[string]string{"name": "x"}).Expect(t, http.StatusForbidden)
	if r.Map(t)["code"] != "csrf" {
		t.Fatalf("body %s", r.Body)
	}
	c.CSRF = "forged"
	c.Do("POST", "/api/v1/api-tokens", map[string]string{"name": "x"}).Expect(t, http.StatusForbidden)
	c.CSRF = token
	c.Do("POST", "/api/v1/api-tokens", map[string]string{"name": "x"}).Expect(t, http.StatusCreated)
	// Reads need no token.
	c.CSRF = ""
	c.Do("GET", "/api/v1/api-tokens", nil).Expect(t, http.StatusOK)
}

func TestCrossSiteLoginIsRefused(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	req, _ := http.NewRequest("POST", site.Server.URL+"/api/v1/auth/login",
		strings.NewReader(`{"username":"admin","password":"`+apptest.AdminPassword+`"}`))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site login answered %d", resp.StatusCode)
	}
}

func TestAPITokenIsShownOnceWorksAsBearerAndDiesWhenRevoked(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	created := admin.Do("POST", "/api/v1/api-tokens", map[string]string{"name": "CRM"}).Expect(t, http.StatusCreated).Map(t)
	token := created["token"].(string)
	if !strings.HasPrefix(token, "sb_") || !strings.HasPrefix(token, created["prefix"].(string)) {
		t.Fatalf("token %v", created)
	}
	list := admin.Do("GET", "/api/v1/api-tokens", nil).Expect(t, http.StatusOK)
	if bytes.Contains(list.Body, []byte(token)) || !bytes.Contains(list.Body, []byte(`"CRM"`)) {
		t.Fatalf("list: %s", list.Body)
	}
	bot := site.Client(t)
	bot.Bearer = token
	// A Bearer caller needs no CSRF token and no cookie.
	bot.Do("POST", "/api/v1/agents", map[string]string{"username": "via.token", "full_name": "Via Token",
		"password": "Temp-Pass1"}).Expect(t, http.StatusCreated)
	admin.Do("DELETE", "/api/v1/api-tokens/"+strconv.Itoa(int(created["id"].(float64))), nil).Expect(t, http.StatusNoContent)
	bot.Do("GET", "/api/v1/agents", nil).Expect(t, http.StatusUnauthorized)
	bot.Bearer = "sb_made_up"
	bot.Do("GET", "/api/v1/agents", nil).Expect(t, http.StatusUnauthorized)
}

func TestForcedPasswordChangeGatesEverythingElse(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	admin.Do("POST", "/api/v1/users", map[string]string{"username": "boss", "full_name": "Second Admin",
		"kind": "admin", "password": "Temp-Pass1"}).Expect(t, http.StatusCreated)
	c := site.Client(t)
	m := c.Login("boss", "Temp-Pass1")
	if m["password_change_required"] != true {
		t.Fatalf("login %v", m)
	}
	r := c.Do("GET", "/api/v1/users", nil).Expect(t, http.StatusForbidden)
	if r.Map(t)["code"] != "password_change_required" {
		t.Fatalf("body %s", r.Body)
	}
	c.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusOK)
	r = c.Do("POST", "/api/v1/auth/password", map[string]string{"current_password": "Temp-Pass1", "new_password": "weakpass"})
	r.Expect(t, http.StatusBadRequest)
	if f := r.Map(t)["fields"].(map[string]any); f["new_password"] != "must contain an uppercase letter" {
		t.Fatalf("fields %v", f)
	}
	r = c.Do("POST", "/api/v1/auth/password", map[string]string{"current_password": "Temp-Pass1", "new_password": "Temp-Pass1"})
	if f := r.Expect(t, http.StatusBadRequest).Map(t)["fields"].(map[string]any); f["new_password"] != "must be different from the current password" {
		t.Fatalf("fields %v", f)
	}
	c.Do("POST", "/api/v1/auth/password", map[string]string{"current_password": "Temp-Pass1", "new_password": "Boss-Pass22"}).
		Expect(t, http.StatusNoContent)
	c.Do("GET", "/api/v1/users", nil).Expect(t, http.StatusOK)
}

func TestOnlyAdminsManageAccountsAndSettings(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	createAgent(t, admin, "luca", "")
	agent := site.Client(t)
	changeFirstPassword(t, agent, "luca", "Luca-Pass22")
	prof := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Nothing much"}).Expect(t, http.StatusCreated).Map(t)
	admin.Do("POST", "/api/v1/users", map[string]any{"username": "sup", "full_name": "Supervisor",
		"kind": "user", "password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, http.StatusCreated)
	sup := site.Client(t)
	changeFirstPassword(t, sup, "sup", "Sup-Pass222")
	for _, c := range []*apptest.Client{agent, sup} {
		for _, rq := range []struct{ method, path string }{
			{"GET", "/api/v1/agents"}, {"POST", "/api/v1/agents"}, {"GET", "/api/v1/users"},
			{"GET", "/api/v1/settings/security"}, {"PUT", "/api/v1/settings/security"},
			{"GET", "/api/v1/api-tokens"}, {"POST", "/api/v1/api-tokens"}, {"GET", "/api/v1/events"},
			{"POST", "/api/v1/agents/1/unlock"},
		} {
			r := c.Do(rq.method, rq.path, map[string]string{})
			if r.Status != http.StatusForbidden {
				t.Errorf("%s %s as non-admin: %d", rq.method, rq.path, r.Status)
			}
		}
	}
	anon := site.Client(t)
	anon.Do("GET", "/api/v1/agents", nil).Expect(t, http.StatusUnauthorized)
}

func TestAccountValidationNamesTheField(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	createAgent(t, admin, "taken.name", "")
	cases := []struct {
		body   map[string]string
		status int
		field  string
		msg    string
	}{
		{map[string]string{"username": "bad name!", "full_name": "X", "password": "Temp-Pass1"}, 400, "username",
			"may contain only letters, digits, '.' and '_'"},
		{map[string]string{"username": "ok", "full_name": "", "password": "Temp-Pass1"}, 400, "full_name", "is required"},
		{map[string]string{"username": "ok", "full_name": "X", "email": "nope", "password": "Temp-Pass1"}, 400, "email",
			"is not a valid email address"},
		{map[string]string{"username": "ok", "full_name": "X", "password": "short"}, 400, "password",
			"must be at least 8 characters long"},
		{map[string]string{"username": "TAKEN.NAME", "full_name": "X", "password": "Temp-Pass1"}, 409, "username",
			"is already taken (also by deleted members until they are purged)"},
	}
	for _, c := range cases {
		r := admin.Do("POST", "/api/v1/agents", c.body)
		if r.Status != c.status {
			t.Errorf("%v: status %d %s", c.body, r.Status, r.Body)
			continue
		}
		fields, _ := r.Map(t)["fields"].(map[string]any)
		if fields[c.field] != c.msg {
			t.Errorf("%v: fields %v", c.body, fields)
		}
	}
	r := admin.Do("POST", "/api/v1/users", map[string]string{"username": "x", "full_name": "X", "kind": "agent", "password": "Temp-Pass1"})
	if f, _ := r.Expect(t, 400).Map(t)["fields"].(map[string]any); f["kind"] == nil {
		t.Fatalf("kind: %s", r.Body)
	}
	r = admin.Do("POST", "/api/v1/agents", []byte(`{"username": 5}`))
	if f, _ := r.Expect(t, 400).Map(t)["fields"].(map[string]any); f["username"] == nil {
		t.Fatalf("type error: %s", r.Body)
	}
	admin.Do("POST", "/api/v1/agents", []byte(`{not json`)).Expect(t, 400)
	admin.Do("GET", "/api/v1/agents?limit=abc", nil).Expect(t, 400)
	admin.Do("GET", "/api/v1/agents/abc", nil).Expect(t, 400)
	admin.Do("GET", "/api/v1/agents/999", nil).Expect(t, 404)
	// Italian callers get Italian messages.
	admin.Language = "it-IT,it;q=0.9"
	r = admin.Do("POST", "/api/v1/agents", map[string]string{"username": "ok", "full_name": "", "password": "Temp-Pass1"})
	if f := r.Expect(t, 400).Map(t)["fields"].(map[string]any); f["full_name"] != "è obbligatorio" {
		t.Fatalf("italian: %s", r.Body)
	}
}

func TestSecuritySettingsValidation(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	r := admin.Do("PUT", "/api/v1/settings/security", map[string]any{"enabled": true, "max_failed_logins": -1,
		"password_max_age_days": 90, "expiry_warning_days": 15, "mask_characters": 4}).Expect(t, 400)
	if f := r.Map(t)["fields"].(map[string]any); f["max_failed_logins"] != "must be a whole number from 0 to 100" {
		t.Fatalf("fields %v", f)
	}
	got := admin.Do("GET", "/api/v1/settings/security", nil).Expect(t, 200).Map(t)
	if got["max_failed_logins"] != float64(5) {
		t.Fatalf("bad input changed the stored settings: %v", got)
	}
	// With the suite off, the policy no longer applies to new passwords.
	admin.Do("PUT", "/api/v1/settings/security", map[string]any{"enabled": false, "max_failed_logins": 5,
		"password_max_age_days": 90, "expiry_warning_days": 15, "mask_characters": 4}).Expect(t, 200)
	admin.Do("POST", "/api/v1/agents", map[string]string{"username": "simple", "full_name": "S", "password": "simple"}).
		Expect(t, http.StatusCreated)
	opts := site.Client(t).Do("GET", "/api/v1/auth/options", nil).Expect(t, 200).Map(t)
	if opts["security_suite"] != false || opts["password_rules"] != nil {
		t.Fatalf("options %v", opts)
	}
}

func TestLogoutEverywhereEndsOtherBrowsers(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	a, b := site.Admin(t), site.Admin(t)
	a.Do("POST", "/api/v1/auth/logout-everywhere", nil).Expect(t, http.StatusNoContent)
	b.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusUnauthorized)
	a.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusUnauthorized)
}

func TestAdminSetPasswordForcesChangeAndEndsSessions(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	agent := createAgent(t, admin, "anna", "")
	c := site.Client(t)
	changeFirstPassword(t, c, "anna", "Anna-Pass22")
	id := strconv.Itoa(int(agent["id"].(float64)))
	r := admin.Do("PUT", "/api/v1/agents/"+id+"/password", map[string]string{"password": "abc"}).Expect(t, 400)
	if f := r.Map(t)["fields"].(map[string]any); f["password"] == nil {
		t.Fatalf("fields %s", r.Body)
	}
	admin.Do("PUT", "/api/v1/agents/"+id+"/password", map[string]string{"password": "Temp-Pass1"}).Expect(t, 204)
	c.Do("GET", "/api/v1/auth/me", nil).Expect(t, http.StatusUnauthorized)
	changeFirstPassword(t, c, "anna", "Anna-Pass33")
}

var resetLink = regexp.MustCompile(`/reset-password\?token=([A-Za-z0-9_-]+)`)

func TestPasswordResetByEmailedLink(t *testing.T) {
	smtp := mailtest.Start(t)
	site := apptest.Start(t, apptest.Options{Env: map[string]string{
		"SWITCHBOARD_SMTP_HOST": smtp.Host, "SWITCHBOARD_SMTP_PORT": strconv.Itoa(smtp.Port), "SWITCHBOARD_SMTP_TLS": "none",
		"SWITCHBOARD_BASE_URL": "https://cc.example.com"}})
	admin := site.Admin(t)
	createAgent(t, admin, "giulia", "giulia@example.com")
	anon := site.Client(t)
	if opts := anon.Do("GET", "/api/v1/auth/options", nil).Map(t); opts["password_reset_available"] != true {
		t.Fatalf("options %v", opts)
	}
	known := anon.Do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "giulia@example.com"}).Expect(t, 202)
	unknown := anon.Do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "who@example.com"}).Expect(t, 202)
	if !bytes.Equal(known.Body, unknown.Body) {
		t.Fatalf("answers differ: %s vs %s", known.Body, unknown.Body)
	}
	msg := smtp.Next(t, 10*time.Second)
	if msg.To[0] != "giulia@example.com" || !strings.Contains(msg.Text, "https://cc.example.com/reset-password?token=") {
		t.Fatalf("mail %+v", msg)
	}
	token := resetLink.FindStringSubmatch(msg.Text)[1]
	anon.Do("POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "new_password": "Giulia-Pass9"}).
		Expect(t, 204)
	r := anon.Do("POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "new_password": "Giulia-Pass8"}).
		Expect(t, 400)
	if f := r.Map(t)["fields"].(map[string]any); f["token"] == nil {
		t.Fatalf("reuse: %s", r.Body)
	}
	anon.Login("giulia", "Giulia-Pass9")
}

func TestResetWithoutSMTPIsUnavailable(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	anon := site.Client(t)
	if opts := anon.Do("GET", "/api/v1/auth/options", nil).Map(t); opts["password_reset_available"] != false {
		t.Fatalf("options %v", opts)
	}
	anon.Do("POST", "/api/v1/auth/password-reset", map[string]string{"email": "a@b.c"}).Expect(t, http.StatusServiceUnavailable)
}

func TestOversizedBodyIs413(t *testing.T) {
	site := apptest.Start(t, apptest.Options{Env: map[string]string{"SWITCHBOARD_MAX_BODY_BYTES": "2048"}})
	admin := site.Admin(t)
	big := []byte(`{"name":"` + strings.Repeat("x", 4096) + `"}`)
	r := admin.Do("POST", "/api/v1/api-tokens", big).Expect(t, http.StatusRequestEntityTooLarge)
	if r.Map(t)["code"] != "too_large" {
		t.Fatalf("body %s", r.Body)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	c := site.Client(t)
	r := c.Do("GET", "/api/v1/no-such-thing", nil).Expect(t, 404)
	if r.Map(t)["code"] != "not_found" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("404: %s", r.Body)
	}
	r = c.Do("DELETE", "/api/v1/auth/login", nil).Expect(t, 405)
	if r.Map(t)["code"] != "method_not_allowed" {
		t.Fatalf("405: %s", r.Body)
	}
}

func TestHealthReadinessMetricsAndOpenAPI(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	c := site.Client(t)
	c.Do("GET", "/healthz", nil).Expect(t, 200)
	c.Do("GET", "/readyz", nil).Expect(t, 200)
	c.Do("GET", "/api/v1/auth/options", nil).Expect(t, 200)
	m := c.Do("GET", "/metrics", nil).Expect(t, 200)
	if !bytes.Contains(m.Body, []byte(`switchboard_http_requests_total{route="GET /api/v1/auth/options",status="OK"}`)) ||
		!bytes.Contains(m.Body, []byte("go_goroutines")) {
		t.Fatalf("metrics lack the request counter:\n%.2000s", m.Body)
	}
	doc := c.Do("GET", "/api/v1/openapi.yaml", nil).Expect(t, 200)
	if !bytes.Contains(doc.Body, []byte("openapi:")) || !bytes.Contains(doc.Body, []byte("/auth/login")) {
		t.Fatalf("openapi: %.300s", doc.Body)
	}
	site.App.DB.Close()
	c.Do("GET", "/readyz", nil).Expect(t, http.StatusServiceUnavailable)
}

func TestEventsRecordWhoChangedWhat(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	agent := createAgent(t, admin, "paolo", "")
	id := strconv.Itoa(int(agent["id"].(float64)))
	r := admin.Do("GET", "/api/v1/events?subject_type=principal&subject_id="+id, nil).Expect(t, 200)
	var body struct {
		Items []struct {
			Type    string `json:"type"`
			ActorID *int64 `json:"actor_id"`
		} `json:"items"`
	}
	r.JSON(t, &body)
	if len(body.Items) != 1 || body.Items[0].Type != "principal.created" || body.Items[0].ActorID == nil || *body.Items[0].ActorID != 1 {
		t.Fatalf("events %s", r.Body)
	}
}
