// Package config declares every setting of the switchboard binary once, in a
// table with its default, help text and validation. A setting comes from its
// flag, else from its SWITCHBOARD_* environment variable, else its default;
// secrets may also be read from the file named by SWITCHBOARD_*_FILE.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/contacts"
)

// Config holds the settings of `switchboard serve` (and of the subcommands
// that need a subset of them).
type Config struct {
	Listen          string
	DB              string
	BaseURL         string
	WebDir          string // serve the web app from this directory instead of the embedded build (development)
	AdminPassword   string
	Demo            bool
	LogLevel        string
	LogFormat       string
	SessionIdle     time.Duration
	SessionMaxAge   time.Duration
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration
	LoginRatePerMin int
	WidgetRateScale int // multiplies the chat widget's rate limits (load tests)
	AwayAfter       time.Duration
	RequeueOnLogout bool
	// PhoneRegion is the region (ISO 3166) of phone numbers written without
	// a country code: the Contact Manager stores numbers in E.164.
	PhoneRegion string

	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	SMTPFrom     string
	SMTPTLS      string
}

// Option is one row of the settings table.
type Option struct {
	Name    string // flag name; the environment variable is SWITCHBOARD_ + upper snake case
	Default string
	Usage   string
	Secret  bool // never logged; may come from SWITCHBOARD_*_FILE
	set     func(c *Config, v string) error
}

// EnvName is the environment variable of an option.
func (o Option) EnvName() string {
	return "SWITCHBOARD_" + strings.ToUpper(strings.ReplaceAll(o.Name, "-", "_"))
}

// Options is the table of every setting.
var Options = []Option{
	{Name: "listen", Default: "127.0.0.1:8080", Usage: "address to listen on (host:port)", set: func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("must be host:port: %v", err)
		}
		c.Listen = v
		return nil
	}},
	{Name: "db", Default: "sqlite:./data/switchboard.db", Usage: "database: sqlite:PATH or a postgres:// URL", set: func(c *Config, v string) error {
		if !strings.HasPrefix(v, "sqlite:") && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
			return errors.New("must start with sqlite: or postgres://")
		}
		c.DB = v
		return nil
	}},
	{Name: "web-dir", Default: "", Usage: "serve the web app from this directory (a `vite build` output) instead of the one built into the binary; for development", set: func(c *Config, v string) error {
		if v != "" {
			if st, err := os.Stat(v); err != nil || !st.IsDir() {
				return errors.New("must be an existing directory")
			}
		}
		c.WebDir = v
		return nil
	}},
	{Name: "base-url", Default: "", Usage: "public URL of this server, used in emailed links (default http://LISTEN)", set: func(c *Config, v string) error {
		if v == "" {
			c.BaseURL = ""
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("must be an http(s) URL")
		}
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{Name: "admin-password", Default: "", Secret: true, Usage: "password of the first admin when none exists (default: random, printed once)", set: func(c *Config, v string) error {
		c.AdminPassword = v
		return nil
	}},
	{Name: "demo", Default: "false", Usage: "seed a small demo contact center on an empty database", set: boolSetter(func(c *Config, b bool) { c.Demo = b })},
	{Name: "log-level", Default: "info", Usage: "debug, info, warn or error", set: func(c *Config, v string) error {
		switch v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
			return nil
		}
		return errors.New("must be debug, info, warn or error")
	}},
	{Name: "log-format", Default: "text", Usage: "text or json", set: func(c *Config, v string) error {
		if v != "text" && v != "json" {
			return errors.New("must be text or json")
		}
		c.LogFormat = v
		return nil
	}},
	{Name: "session-idle-timeout", Default: "8h", Usage: "a session unused this long expires", set: durationSetter(time.Minute, func(c *Config, d time.Duration) { c.SessionIdle = d })},
	{Name: "session-max-age", Default: "24h", Usage: "a session expires this long after sign-in whatever its use", set: durationSetter(time.Minute, func(c *Config, d time.Duration) { c.SessionMaxAge = d })},
	{Name: "max-body-bytes", Default: "1048576", Usage: "largest JSON request body accepted", set: func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return errors.New("must be a number of bytes, at least 1024")
		}
		c.MaxBodyBytes = n
		return nil
	}},
	{Name: "shutdown-timeout", Default: "15s", Usage: "how long in-flight requests may take to finish on SIGTERM", set: durationSetter(time.Second, func(c *Config, d time.Duration) { c.ShutdownTimeout = d })},
	{Name: "login-rate", Default: "10", Usage: "sign-in attempts allowed per minute per IP address and per username", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return errors.New("must be a whole number, at least 1")
		}
		c.LoginRatePerMin = n
		return nil
	}},
	{Name: "widget-rate-scale", Default: "1", Usage: "multiply the chat widget's rate limits by this factor; for load tests that send every customer from one address, never in production", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return errors.New("must be a whole number from 1 to 1000000")
		}
		c.WidgetRateScale = n
		return nil
	}},
	{Name: "away-after", Default: "60s", Usage: "an agent whose desktop sockets are all gone this long stops receiving offers", set: durationSetter(time.Second, func(c *Config, d time.Duration) { c.AwayAfter = d })},
	{Name: "default-phone-region", Default: "IT", Usage: "region (ISO 3166 code) of phone numbers written without a country code, for the Contact Manager's E.164 numbers", set: func(c *Config, v string) error {
		v = strings.ToUpper(strings.TrimSpace(v))
		if !contacts.ValidRegion(v) {
			return errors.New("must be a region code such as IT, GB or US")
		}
		c.PhoneRegion = v
		return nil
	}},
	{Name: "requeue-on-logout", Default: "false", Usage: "put an agent's open interactions back in their queues when he logs out (else he keeps them)", set: boolSetter(func(c *Config, b bool) { c.RequeueOnLogout = b })},
	{Name: "smtp-host", Default: "", Usage: "SMTP server for password-reset mail (empty: password reset by email is off)", set: func(c *Config, v string) error { c.SMTPHost = v; return nil }},
	{Name: "smtp-port", Default: "587", Usage: "SMTP port", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			return errors.New("must be a port number")
		}
		c.SMTPPort = n
		return nil
	}},
	{Name: "smtp-username", Default: "", Usage: "SMTP user name (empty: no authentication)", set: func(c *Config, v string) error { c.SMTPUsername = v; return nil }},
	{Name: "smtp-password", Default: "", Secret: true, Usage: "SMTP password", set: func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
	{Name: "smtp-from", Default: "switchboard@localhost", Usage: "sender address of Switchboard's mail", set: func(c *Config, v string) error {
		if !strings.Contains(v, "@") {
			return errors.New("must be an email address")
		}
		c.SMTPFrom = v
		return nil
	}},
	{Name: "smtp-tls", Default: "starttls", Usage: "starttls, tls or none", set: func(c *Config, v string) error {
		switch v {
		case "starttls", "tls", "none":
			c.SMTPTLS = v
			return nil
		}
		return errors.New("must be starttls, tls or none")
	}},
}

func boolSetter(apply func(*Config, bool)) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		apply(c, b)
		return nil
	}
}

func durationSetter(min time.Duration, apply func(*Config, time.Duration)) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < min {
			return fmt.Errorf("must be a duration such as 30s or 8h, at least %s", min)
		}
		apply(c, d)
		return nil
	}
}

// Lookup returns an environment variable; tests replace it.
type Lookup func(string) (string, bool)

// Load parses args (the subcommand's flags) over the environment. Only the
// named options are accepted (nil: all), so each subcommand exposes what it uses.
func Load(name string, args []string, env Lookup, only []string) (*Config, *flag.FlagSet, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	chosen := selectOptions(only)
	// Defaults first, then the environment, then flags: the last one wins.
	for _, o := range Options {
		if err := o.set(c, o.Default); err != nil {
			return nil, nil, fmt.Errorf("config: default of %s: %w", o.Name, err)
		}
	}
	for _, o := range chosen {
		v, ok, err := fromEnv(o, env)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			if err := o.set(c, v); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", o.EnvName(), err)
			}
		}
		o := o
		usage := o.Usage + " (env " + o.EnvName()
		if o.Secret {
			usage += ", or " + o.EnvName() + "_FILE"
		}
		usage += ")"
		if o.Name == "demo" || o.Name == "requeue-on-logout" {
			fs.BoolFunc(o.Name, usage, func(v string) error { return o.set(c, v) })
			continue
		}
		fs.Func(o.Name, usage+" [default "+quoteDefault(o)+"]", func(v string) error { return o.set(c, v) })
	}
	if err := fs.Parse(args); err != nil {
		return nil, fs, err
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	return c, fs, nil
}

func quoteDefault(o Option) string {
	if o.Default == "" {
		return `""`
	}
	return o.Default
}

func selectOptions(only []string) []Option {
	if only == nil {
		return Options
	}
	var out []Option
	for _, o := range Options {
		for _, n := range only {
			if o.Name == n {
				out = append(out, o)
			}
		}
	}
	return out
}

func fromEnv(o Option, env Lookup) (string, bool, error) {
	if v, ok := env(o.EnvName()); ok {
		return v, true, nil
	}
	if !o.Secret {
		return "", false, nil
	}
	path, ok := env(o.EnvName() + "_FILE")
	if !ok {
		return "", false, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, fmt.Errorf("%s_FILE: %w", o.EnvName(), err)
	}
	return strings.TrimRight(string(b), "\r\n"), true, nil
}

// Describe lists the effective settings with secrets masked, for the start-up log.
func (c *Config) Describe() []any {
	vals := map[string]string{
		"listen": c.Listen, "db": redactURL(c.DB), "base-url": c.BaseURL,
		"smtp-host": c.SMTPHost, "smtp-from": c.SMTPFrom, "log-level": c.LogLevel,
		"session-idle-timeout": c.SessionIdle.String(), "session-max-age": c.SessionMaxAge.String(),
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		out = append(out, k, vals[k])
	}
	return out
}

// redactURL hides a password inside a database URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
