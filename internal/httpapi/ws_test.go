package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
)

type wsMsg struct {
	Type        string          `json:"type"`
	ID          int64           `json:"id"`
	Event       string          `json:"event"`
	Data        json.RawMessage `json:"data"`
	LastEventID int64           `json:"last_event_id"`
}

func dialWS(t *testing.T, site *apptest.Site, c *apptest.Client, after int64) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	u, _ := url.Parse(site.Server.URL)
	header := http.Header{}
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	header.Set("Origin", site.Server.URL)
	q := ""
	if after > 0 {
		q = "?after=" + strconv.FormatInt(after, 10)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(site.Server.URL, "http")+"/api/v1/ws"+q, &websocket.DialOptions{HTTPHeader: header})
}

func readWS(t *testing.T, conn *websocket.Conn) wsMsg {
	t.Helper()
	// Only a safety net: a loaded 2-core machine running the whole suite
	// once took more than 10 s to deliver an event.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, b, err := conn.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m wsMsg
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRealtimeSocketStreamsAndResumesFromTheLastEvent(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	conn, _, err := dialWS(t, site, admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	hello := readWS(t, conn)
	if hello.Type != "hello" || hello.LastEventID == 0 {
		t.Fatalf("hello %+v", hello)
	}
	createAgent(t, admin, "mario", "")
	ev := readWS(t, conn)
	if ev.Type != "event" || ev.Event != "principal.created" || ev.ID <= hello.LastEventID {
		t.Fatalf("event %+v", ev)
	}
	conn.Close(websocket.StatusNormalClosure, "")

	// Missed while away: delivered on reconnect, in order, from the log.
	createAgent(t, admin, "giulia", "")
	createAgent(t, admin, "luca", "")
	conn, _, err = dialWS(t, site, admin, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	readWS(t, conn) // hello
	a, b := readWS(t, conn), readWS(t, conn)
	if a.Event != "principal.created" || b.Event != "principal.created" || a.ID >= b.ID || a.ID <= ev.ID {
		t.Fatalf("resumed %+v %+v", a, b)
	}
	if !strings.Contains(string(a.Data), "giulia") || !strings.Contains(string(b.Data), "luca") {
		t.Fatalf("resumed data %s %s", a.Data, b.Data)
	}
}

func TestRealtimeSocketRefusesStrangers(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	anon := site.Client(t)
	if _, resp, err := dialWS(t, site, anon, 0); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous socket: %v %v", err, resp)
	}
	admin := site.Admin(t)
	u, _ := url.Parse(site.Server.URL)
	header := http.Header{"Origin": {"https://evil.example"}}
	for _, ck := range admin.HTTP.Jar.Cookies(u) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(site.Server.URL, "http")+"/api/v1/ws", &websocket.DialOptions{HTTPHeader: header})
	if err == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v %v", err, resp)
	}
}

func TestAgentsDoNotSeeStaffEventsOnTheSocket(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	admin := site.Admin(t)
	createAgent(t, admin, "mario", "")
	agent := site.Client(t)
	changeFirstPassword(t, agent, "mario", "Mario-Pass22")
	conn, _, err := dialWS(t, site, agent, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	readWS(t, conn)
	createAgent(t, admin, "giulia", "")
	// A staff event must not reach an agent's socket.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, b, err := conn.Read(ctx); err == nil {
		t.Fatalf("agent received %s", b)
	}
}
