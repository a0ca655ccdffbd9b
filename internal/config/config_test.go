package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, _, err := Load("serve", nil, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DB != "sqlite:./data/switchboard.db" || c.BaseURL != "http://127.0.0.1:8080" ||
		c.SessionIdle != 8*time.Hour || c.Demo || c.WidgetRateScale != 1 {
		t.Fatalf("defaults %+v", c)
	}
}

func TestFlagBeatsEnvironmentBeatsDefault(t *testing.T) {
	e := env(map[string]string{"SWITCHBOARD_LISTEN": "0.0.0.0:9000", "SWITCHBOARD_DB": "postgres://u@h/db", "SWITCHBOARD_DEMO": "true"})
	c, _, err := Load("serve", []string{"--listen", "127.0.0.1:7000"}, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:7000" || c.DB != "postgres://u@h/db" || !c.Demo {
		t.Fatalf("got %+v", c)
	}
	c, _, _ = Load("serve", []string{"--demo"}, env(nil), nil)
	if !c.Demo {
		t.Fatal("--demo without a value should be true")
	}
}

func TestSecretsFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(path, []byte("s3cret-Pass1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _, err := Load("serve", nil, env(map[string]string{"SWITCHBOARD_ADMIN_PASSWORD_FILE": path,
		"SWITCHBOARD_SMTP_PASSWORD_FILE": path}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminPassword != "s3cret-Pass1" || c.SMTPPassword != "s3cret-Pass1" {
		t.Fatalf("got %q %q", c.AdminPassword, c.SMTPPassword)
	}
	// Only secrets read *_FILE.
	c, _, _ = Load("serve", nil, env(map[string]string{"SWITCHBOARD_LISTEN_FILE": path}), nil)
	if c.Listen != "127.0.0.1:8080" {
		t.Fatalf("listen from file: %q", c.Listen)
	}
	_, _, err = Load("serve", nil, env(map[string]string{"SWITCHBOARD_ADMIN_PASSWORD_FILE": "/nonexistent"}), nil)
	if err == nil || !strings.Contains(err.Error(), "SWITCHBOARD_ADMIN_PASSWORD_FILE") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestInvalidValuesNameTheSetting(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--listen", "nocolon"}, nil, "listen"},
		{[]string{"--db", "mysql://x"}, nil, "db"},
		{nil, map[string]string{"SWITCHBOARD_DB": "mysql://x"}, "SWITCHBOARD_DB"},
		{[]string{"--session-idle-timeout", "5s"}, nil, "session-idle-timeout"},
		{[]string{"--smtp-tls", "maybe"}, nil, "smtp-tls"},
		{[]string{"--base-url", "ftp://x"}, nil, "base-url"},
		{[]string{"--log-level", "loud"}, nil, "log-level"},
		{[]string{"--max-body-bytes", "10"}, nil, "max-body-bytes"},
		{[]string{"--widget-rate-scale", "0"}, nil, "widget-rate-scale"},
		{[]string{"--no-such-flag"}, nil, "no-such-flag"},
	}
	for _, c := range cases {
		_, fs, err := Load("serve", c.args, env(c.env), nil)
		if fs != nil {
			fs.SetOutput(new(strings.Builder))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: want error naming %s, got %v", c.args, c.env, c.want, err)
		}
	}
}

func TestDescribeMasksDatabasePassword(t *testing.T) {
	c, _, _ := Load("serve", []string{"--db", "postgres://sb:hunter2@db:5432/sb"}, env(nil), nil)
	for _, v := range c.Describe() {
		if s, ok := v.(string); ok && strings.Contains(s, "hunter2") {
			t.Fatalf("password logged: %v", c.Describe())
		}
	}
}
