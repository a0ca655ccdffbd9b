package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// The channels' interaction lists (GET /api/v1/interactions).
//
// Who sees what: admins every interaction; an agent the interactions of the
// queues he works now (his active queues, as routing offers them) and those
// he owns or first handled — the reference's channel lists show the
// interactions "occurred" in the agent's channels, openable only with the
// right permissions, and DESIGN §7 bounds agents to their queues; a user
// (supervisor) the interactions of his user profile's queues when the
// profile grants realtime or reports read. The same scope guards opening
// one interaction (interactionFor), so a list never shows what cannot be
// opened, and it is applied in SQL, AND-ed with every filter.

// interactionScope is which interactions the caller may see.
func (s *Server) interactionScope(r *http.Request) (store.InteractionScope, error) {
	c := callerFrom(r.Context())
	switch {
	case c.IsAdmin():
		return store.InteractionScope{All: true}, nil
	case c.IsAgent():
		var queues []int64
		for q := range s.acd.ActiveQueues(c.ID()) {
			queues = append(queues, q)
		}
		slices.Sort(queues)
		return store.InteractionScope{Queues: queues, Principal: c.ID()}, nil
	case c.Scoped():
		if !c.Rights.Has(staff.SectionRealtime, staff.Read) && !c.Rights.Has(staff.SectionReports, staff.Read) {
			return store.InteractionScope{}, nil
		}
		allowed, err := s.profileQueues(r)
		if err != nil {
			return store.InteractionScope{}, err
		}
		var queues []int64
		for q := range allowed {
			queues = append(queues, q)
		}
		slices.Sort(queues)
		return store.InteractionScope{Queues: queues}, nil
	}
	return store.InteractionScope{}, nil
}

// interactionStatuses are the statuses a list can filter by.
var interactionStatuses = []string{"waiting", "open", "closed", "closed_unmanaged"}

const (
	maxSearchChars = 200
	maxListTags    = 20
)

func (s *Server) listInteractions(w http.ResponseWriter, r *http.Request) error {
	f, err := interactionFilter(r)
	if err != nil {
		return err
	}
	if f.Scope, err = s.interactionScope(r); err != nil {
		return err
	}
	f.Viewer = callerFrom(r.Context()).ID()
	page, err := s.db.InteractionList(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// interactionFilter reads a list's query; a bad parameter is an error
// naming it.
func interactionFilter(r *http.Request) (store.InteractionFilter, error) {
	q := r.URL.Query()
	var f store.InteractionFilter
	var err error
	if ch := q.Get("channel"); ch != "" {
		if !staff.ValidQueueChannel(staff.Channel(ch)) {
			return f, apperr.Field("channel", "channel.invalid")
		}
		f.Channel = ch
	}
	f.Query = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.Query) > maxSearchChars {
		return f, apperr.Field("q", "field.too_long", maxSearchChars)
	}
	if f.From, err = queryDate(q.Get("from"), "from", false); err != nil {
		return f, err
	}
	if f.Before, err = queryDate(q.Get("to"), "to", true); err != nil {
		return f, err
	}
	switch f.Read = q.Get("read"); f.Read {
	case "", "read", "unread":
	default:
		return f, apperr.Field("read", "read.invalid")
	}
	for _, st := range q["status"] {
		if !slices.Contains(interactionStatuses, st) {
			return f, apperr.Field("status", "status.invalid")
		}
		if !slices.Contains(f.Statuses, st) {
			f.Statuses = append(f.Statuses, st)
		}
	}
	for name, dst := range map[string]**int64{"sub_status_id": &f.SubStatusID, "account_id": &f.AccountID, "agent_id": &f.OwnerID} {
		if *dst, err = queryOptionalID(q.Get(name), name); err != nil {
			return f, err
		}
	}
	if len(q["tag_id"]) > maxListTags {
		return f, apperr.Field("tag_id", "field.too_many", maxListTags)
	}
	for _, v := range q["tag_id"] {
		id, err := queryOptionalID(v, "tag_id")
		if err != nil || id == nil {
			return f, apperr.Field("tag_id", "id.invalid")
		}
		f.TagIDs = append(f.TagIDs, *id)
	}
	f.Sort = q.Get("sort") // the store refuses an unknown one
	switch q.Get("order") {
	case "", "desc":
		f.Desc = true
	case "asc":
	default:
		return f, apperr.Field("order", "order.invalid")
	}
	if f.Limit, err = queryInt(r, "limit", 50, 1, 200); err != nil {
		return f, err
	}
	f.Cursor = q.Get("cursor")
	if len(f.Cursor) > 1000 {
		return f, apperr.Field("cursor", "cursor.invalid")
	}
	return f, nil
}

// queryOptionalID reads an id parameter ("" is none).
func queryOptionalID(v, name string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, apperr.Field(name, "id.invalid")
	}
	return &id, nil
}

// queryDate reads a date (2026-11-21, a UTC day) or a date-time (RFC 3339)
// parameter. As the end of a range (end) a date means the end of that day
// and a date-time the instant the range stops before.
func queryDate(v, name string, end bool) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return &d, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, apperr.Field(name, "date.invalid")
	}
	t = t.UTC()
	return &t, nil
}
