// Package mail sends Switchboard's own email (password-reset links) through
// the configured SMTP server.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"
)

// TLS modes of the SMTP connection.
const (
	TLSStart = "starttls" // plain connection upgraded with STARTTLS (port 587)
	TLSWrap  = "tls"      // TLS from the first byte (port 465)
	TLSNone  = "none"     // no encryption: only for a relay on the same host or tests
)

// SMTP is an SMTP sender.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string
	Timeout  time.Duration
}

// Send delivers one plain-text message.
func (m *SMTP) Send(ctx context.Context, to, subject, body string) error {
	msg, err := enmime.Builder().From("Switchboard", m.From).To("", to).Subject(subject).Text([]byte(body)).Build()
	if err != nil {
		return fmt.Errorf("mail: build: %w", err)
	}
	var buf bytes.Buffer
	if err := msg.Encode(&buf); err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	c, err := m.dial(ctx)
	if err != nil {
		return fmt.Errorf("mail: connect %s: %w", m.addr(), err)
	}
	defer c.Close()
	if m.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", m.Username, m.Password)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	if err := c.SendMail(m.From, []string{to}, &buf); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return c.Quit()
}

func (m *SMTP) addr() string { return net.JoinHostPort(m.Host, strconv.Itoa(m.Port)) }

func (m *SMTP) dial(ctx context.Context) (*smtp.Client, error) {
	timeout := m.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	cfg := &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
	switch m.TLS {
	case TLSWrap:
		conn, err := tls.DialWithDialer(&d, "tcp", m.addr(), cfg)
		if err != nil {
			return nil, err
		}
		return smtp.NewClient(conn), nil
	case TLSNone:
		conn, err := d.DialContext(ctx, "tcp", m.addr())
		if err != nil {
			return nil, err
		}
		return smtp.NewClient(conn), nil
	default:
		conn, err := d.DialContext(ctx, "tcp", m.addr())
		if err != nil {
			return nil, err
		}
		return smtp.NewClientStartTLS(conn, cfg)
	}
}
