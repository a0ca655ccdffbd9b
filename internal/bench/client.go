package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-cc/switchboard/internal/httpapi"
)

// newHTTPClient is the one HTTP client of a run: every agent and customer
// shares its pool of keep-alive connections, as a fleet of browsers would
// each keep theirs.
func newHTTPClient() *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 4096,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}

// apiError is a refused API call.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// errorKind names a failure for the error counts: "accept 409 conflict",
// "reply transport".
func errorKind(op string, err error) string {
	var ae *apiError
	if errors.As(err, &ae) {
		return fmt.Sprintf("%s %d %s", op, ae.Status, ae.Code)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return op + " timeout"
	}
	return op + " transport"
}

// isConflict tells a 409, the expected answer to an agent who accepts an
// offer another agent took first.
func isConflict(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == http.StatusConflict
}

// session is a signed-in principal talking to the API: its session cookie
// and CSRF token, sent the way the web app sends them.
type session struct {
	base   string
	hc     *http.Client
	cookie string
	csrf   string
	// slots hold the requests under way: a browser sends at most
	// browserConns at once to one server and queues the rest, so an agent
	// clicking accept on every ringing offer does not open a connection
	// each.
	slots chan struct{}
}

// browserConns is how many requests a browser has under way to one host
// (HTTP/1.1), as Chromium and Firefox do.
const browserConns = 6

// loginResult is what matters of POST /auth/login's answer.
type loginResult struct {
	CSRFToken              string `json:"csrf_token"`
	PasswordChangeRequired bool   `json:"password_change_required"`
}

// signIn opens a session; when the password must be changed first (a new
// account with the security suite on) it changes it to next and goes on.
func signIn(ctx context.Context, hc *http.Client, base, username, password, next string) (*session, error) {
	s := &session{base: base, hc: hc, slots: make(chan struct{}, browserConns)}
	var out loginResult
	resp, err := s.send(ctx, "POST", "/api/v1/auth/login", nil,
		map[string]string{"username": username, "password": password}, &out)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", username, err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == httpapi.SessionCookie {
			s.cookie = c.Name + "=" + c.Value
		}
	}
	if s.cookie == "" {
		return nil, fmt.Errorf("sign in %s: no session cookie", username)
	}
	s.csrf = out.CSRFToken
	if out.PasswordChangeRequired {
		if next == "" || next == password {
			return nil, fmt.Errorf("sign in %s: the password must be changed first", username)
		}
		if err := s.call(ctx, "POST", "/api/v1/auth/password",
			map[string]string{"current_password": password, "new_password": next}, nil); err != nil {
			return nil, fmt.Errorf("first password change of %s: %w", username, err)
		}
	}
	return s, nil
}

// call sends a JSON request with the session and decodes the answer into
// out (when not nil).
func (s *session) call(ctx context.Context, method, path string, in, out any) error {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return ctx.Err()
	}
	h := http.Header{"X-CSRF-Token": {s.csrf}, "Cookie": {s.cookie}}
	_, err := s.send(ctx, method, path, h, in, out)
	return err
}

// send is one JSON request; a status of 400 or more is an *apiError.
func (s *session) send(ctx context.Context, method, path string, h http.Header, in, out any) (*http.Response, error) {
	return doJSON(ctx, s.hc, method, s.base+path, h, in, out)
}

func doJSON(ctx context.Context, hc *http.Client, method, url string, h http.Header, in, out any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return doRequest(hc, req, out)
}

// doRequest sends a prepared request and decodes its JSON answer into out
// (when not nil); a status of 400 or more is an *apiError.
func doRequest(hc *http.Client, req *http.Request, out any) (*http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode >= 400 {
		ae := &apiError{Status: resp.StatusCode}
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &e) == nil {
			ae.Code, ae.Message = e.Code, e.Message
		}
		return resp, ae
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp, fmt.Errorf("%s %s: answer: %w", req.Method, req.URL.Path, err)
		}
	}
	return resp, nil
}

// dialSocket opens the session's desktop socket (GET /api/v1/ws).
func (s *session) dialSocket(ctx context.Context) (*websocket.Conn, error) {
	return dial(ctx, s.hc, s.base+"/api/v1/ws", http.Header{"Cookie": {s.cookie}})
}

func dial(ctx context.Context, hc *http.Client, url string, h http.Header) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(url, "http"), &websocket.DialOptions{
		HTTPClient: hc, HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return nil, &apiError{Status: resp.StatusCode, Code: "handshake", Message: err.Error()}
		}
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	return conn, nil
}
