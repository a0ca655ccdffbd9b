package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/app"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/bootstrap"
	"github.com/switchboard-cc/switchboard/internal/config"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func loadConfig(t *testing.T, env map[string]string) *config.Config {
	t.Helper()
	cfg, _, err := config.Load("test", nil, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var passwordInLog = regexp.MustCompile(`password=(\S+)`)

func TestFirstStartCreatesAdminWithPasswordPrintedOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cfg := loadConfig(t, map[string]string{"SWITCHBOARD_DB": storetest.URL(t, d)})
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		a, err := app.New(context.Background(), cfg, nil, log)
		if err != nil {
			t.Fatal(err)
		}
		m := passwordInLog.FindStringSubmatch(logs.String())
		if m == nil {
			t.Fatalf("no password in the log: %s", logs.String())
		}
		p, err := a.DB.PrincipalByUsername(context.Background(), "admin")
		if err != nil || !auth.VerifyPassword(p.PasswordHash, m[1]) || !p.MustChangePassword {
			t.Fatalf("admin %+v %v", p, err)
		}
		a.Close()
		// A second start finds the admin and prints no password.
		logs.Reset()
		a, err = app.New(context.Background(), cfg, nil, log)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if strings.Contains(logs.String(), "password=") {
			t.Fatalf("password printed again: %s", logs.String())
		}
	})
}

func TestDemoSeedsOnceAndKeepsChanges(t *testing.T) {
	cfg := loadConfig(t, map[string]string{"SWITCHBOARD_DB": storetest.URL(t, store.SQLite), "SWITCHBOARD_DEMO": "true",
		"SWITCHBOARD_ADMIN_PASSWORD": "Admin-Pass1"})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	agents, total, _ := a.DB.Principals(ctx, store.PrincipalFilter{Kinds: []auth.Kind{auth.KindAgent}})
	if total < 3 {
		t.Fatalf("demo has %d agents", total)
	}
	if !auth.VerifyPassword(agents[0].PasswordHash, bootstrap.DemoPassword) || agents[0].MustChangePassword {
		t.Fatal("demo agents cannot sign in with the demo password")
	}
	teams, nTeams, _ := a.DB.Teams(ctx, store.ListFilter{})
	queues, _ := a.DB.Queues(ctx, "")
	if nTeams != 1 || teams[0].AgentCount != 3 || len(queues) < 2 {
		t.Fatalf("demo team %v, queues %v", teams, queues)
	}
	agent, _ := a.DB.Agent(ctx, agents[0].ID)
	if len(agent.Queues) != 2 || agent.Extension == "" {
		t.Fatalf("demo agent is in queues %v", agent.Queues)
	}
	if answers, _ := a.DB.CannedAnswers(ctx, "", nil); len(answers) < 2 {
		t.Fatalf("demo canned answers %v", answers)
	}
	if sites, _ := a.DB.Websites(ctx); len(sites) != 1 || sites[0].QueueID == nil {
		t.Fatalf("demo website %v", sites)
	}
	if tags, _ := a.DB.Tags(ctx); len(tags) < 2 {
		t.Fatalf("demo tags %v", tags)
	}
	// The demo supervisor sees the demo agents through his profile's queues.
	sup, _ := a.DB.PrincipalByUsername(ctx, "sara.supervisor")
	prof, _ := a.DB.UserProfileOf(ctx, sup.ID)
	if prof == nil {
		t.Fatal("demo supervisor has no profile")
	}
	if ok, _ := a.DB.AgentInScope(ctx, agents[0].ID, *prof); !ok {
		t.Fatal("demo supervisor cannot operate on the demo agents")
	}
	a.Close()
	a, err = app.New(ctx, cfg, nil, log)
	if err != nil {
		t.Fatalf("second demo start: %v", err)
	}
	defer a.Close()
	if _, total2, _ := a.DB.Principals(ctx, store.PrincipalFilter{Kinds: []auth.Kind{auth.KindAgent}}); total2 != total {
		t.Fatalf("demo seeded twice: %d then %d", total, total2)
	}
}

// TestShutdownLetsInFlightRequestsFinish starts the real server, begins a
// request whose body is still arriving, asks the server to stop, and checks
// the request is still answered before Serve returns.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	cfg := loadConfig(t, map[string]string{"SWITCHBOARD_DB": "sqlite:" + filepath.Join(t.TempDir(), "sb.db"),
		"SWITCHBOARD_ADMIN_PASSWORD": "Admin-Pass1", "SWITCHBOARD_SHUTDOWN_TIMEOUT": "30s"})
	a, err := app.New(context.Background(), cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	active := make(chan struct{}, 1)
	a.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateActive {
			active <- struct{}{}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.ServeListener(ctx, ln) }()

	body, writer := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/auth/login", body)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	// More than the transport buffers, so the request reaches the server.
	if _, err := writer.Write([]byte(strings.Repeat(" ", 16<<10) + `{"username":"admin",`)); err != nil {
		t.Fatal(err)
	}
	<-active
	stop()
	select {
	case err := <-served:
		t.Fatalf("server stopped before the in-flight request finished: %v", err)
	case <-time.After(200 * time.Millisecond): // proves Serve is still waiting, not a wait for time to pass
	}
	writer.Write([]byte(`"password":"Admin-Pass1"}`))
	writer.Close()
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("in-flight request answered %d", code)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	// New connections are refused once stopped.
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("still accepting connections")
	}
}
