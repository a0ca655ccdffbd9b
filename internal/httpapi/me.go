package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// myAgent is the signed-in agent's own settings, for his desktop.
func (s *Server) myAgent(w http.ResponseWriter, r *http.Request) error {
	return s.writeAgent(w, r, callerFrom(r.Context()).ID(), http.StatusOK)
}

// maxClientLogLines bounds one batch from a desktop.
const maxClientLogLines = 500

// postClientLogs stores the desktop's log lines at or above the level the
// admin chose; the rest are dropped, and nothing is kept when logging is off.
func (s *Server) postClientLogs(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Lines []store.ClientLogLine `json:"lines"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.Lines) > maxClientLogLines {
		return apperr.Field("lines", "field.too_many", maxClientLogLines)
	}
	c := callerFrom(r.Context())
	a, err := s.db.Agent(r.Context(), c.ID())
	if err != nil {
		return err
	}
	now := s.clock.Now()
	var keep []store.ClientLogLine
	for i, l := range in.Lines {
		l.Level = strings.ToUpper(strings.TrimSpace(l.Level))
		if l.Level == "WARN" {
			l.Level = "WARNING"
		}
		if l.Message == "" {
			return apperr.Field("lines."+strconv.Itoa(i)+".message", "field.required")
		}
		if len(l.Message) > 8000 {
			l.Message = l.Message[:8000]
		}
		if l.At.IsZero() || l.At.After(now.Add(time.Hour)) {
			l.At = now
		}
		if a.ClientLog.Includes(l.Level) {
			keep = append(keep, l)
		}
	}
	if len(keep) > 0 {
		if err := s.db.AppendClientLogs(r.Context(), c.ID(), keep); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"accepted": len(keep)})
	return nil
}
