package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// agentJSON is the admin's view of an agent.
type agentJSON struct {
	*staff.Agent
	Locked             bool    `json:"locked"`
	AvatarURL          *string `json:"avatar_url"`
	AvatarThumbnailURL *string `json:"avatar_thumbnail_url"`
}

func toAgentJSON(a *staff.Agent) agentJSON {
	out := agentJSON{Agent: a, Locked: a.Locked()}
	if a.AvatarUpdatedAt != nil {
		v := strconv.FormatInt(a.AvatarUpdatedAt.UnixMilli(), 10)
		full := fmt.Sprintf("/api/v1/agents/%d/avatar?v=%s", a.ID, v)
		thumb := fmt.Sprintf("/api/v1/agents/%d/avatar?size=thumb&v=%s", a.ID, v)
		out.AvatarURL, out.AvatarThumbnailURL = &full, &thumb
	}
	return out
}

// checkAgentScope refuses a user an agent outside his profile's queues.
func (s *Server) checkAgentScope(r *http.Request, agentID int64) error {
	c := callerFrom(r.Context())
	if !c.Scoped() {
		return nil
	}
	if c.ProfileID == nil {
		return apperr.New(apperr.Forbidden, "scope.agent")
	}
	ok, err := s.db.AgentInScope(r.Context(), agentID, *c.ProfileID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "scope.agent")
	}
	return nil
}

// checkQueueScope refuses a user queues his profile does not enable.
func (s *Server) checkQueueScope(r *http.Request, field string, queueIDs []int64) error {
	c := callerFrom(r.Context())
	if !c.Scoped() {
		return nil
	}
	allowed := []int64{}
	if c.ProfileID != nil {
		p, err := s.db.UserProfile(r.Context(), *c.ProfileID)
		if err != nil {
			return err
		}
		allowed = p.QueueIDs
	}
	for _, q := range queueIDs {
		if !slices.Contains(allowed, q) {
			return &apperr.Error{Code: apperr.Forbidden, Message: apperr.Message{Key: "scope.queue"},
				Fields: map[string]apperr.Message{field: {Key: "scope.queue"}}}
		}
	}
	return nil
}

// agentFor loads a live agent the caller may operate on.
func (s *Server) agentFor(r *http.Request) (*staff.Agent, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, err := s.db.Agent(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if a.DeletedAt != nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err := s.checkAgentScope(r, id); err != nil {
		return nil, err
	}
	return a, nil
}

func listFilter(r *http.Request) (store.ListFilter, error) {
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return store.ListFilter{}, err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return store.ListFilter{}, err
	}
	q := r.URL.Query()
	order := q.Get("order")
	if order != "" && order != "asc" && order != "desc" {
		return store.ListFilter{}, apperr.Field("order", "order.invalid")
	}
	return store.ListFilter{Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Desc: order == "desc",
		Limit: limit, Offset: offset}, nil
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	af := store.AgentFilter{Query: f.Query, Sort: f.Sort, Desc: f.Desc, Limit: f.Limit, Offset: f.Offset}
	if c := callerFrom(r.Context()); c.Scoped() {
		af.ScopeProfileID = c.ProfileID
		if c.ProfileID == nil {
			writeJSON(w, http.StatusOK, map[string]any{"items": []agentJSON{}, "total": 0})
			return nil
		}
	}
	list, total, err := s.db.Agents(r.Context(), af)
	if err != nil {
		return err
	}
	items := make([]agentJSON, len(list))
	for i, a := range list {
		items[i] = toAgentJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

func (s *Server) createAgent(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		staff.NewAgent
		QueueIDs []int64 `json:"queue_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	f := apperr.FieldErrors{}
	in.NewAgent.Validate(f)
	c := callerFrom(r.Context())
	// A user must place the new agent in one of his queues, or he could
	// never see him again.
	if c.Scoped() && len(in.QueueIDs) == 0 {
		f.Add("queue_ids", "scope.queue_required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.checkQueueScope(r, "queue_ids", in.QueueIDs); err != nil {
		return err
	}
	for _, q := range in.QueueIDs {
		if !s.queueExists(r, q) {
			return apperr.Field("queue_ids", "id.unknown", q)
		}
	}
	hash, mustChange, err := s.auth.HashInitialPassword(r.Context(), "password", in.Password)
	if err != nil {
		return err
	}
	a := &staff.Agent{Principal: auth.Principal{Kind: auth.KindAgent, Username: in.Username, FullName: in.FullName,
		Email: in.Email, PasswordHash: hash, MustChangePassword: mustChange},
		Alias: in.Alias, Typology: in.Typology, Phone: in.Phone, Extension: in.Extension, Description: in.Description,
		LoginInPause: in.LoginInPause, MaskSensitiveData: in.MaskSensitiveData}
	staff.DefaultAgentSettings(a)
	created, err := s.db.CreateAgent(r.Context(), a, c.ID())
	if err != nil {
		return err
	}
	if len(in.QueueIDs) > 0 {
		if err := s.db.SetAgentQueues(r.Context(), created.ID, in.QueueIDs, c.ID()); err != nil {
			return err
		}
		if created, err = s.db.Agent(r.Context(), created.ID); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusCreated, toAgentJSON(created))
	return nil
}

func (s *Server) getAgent(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAgentJSON(a))
	return nil
}

func (s *Server) patchAgent(w http.ResponseWriter, r *http.Request) error {
	var p staff.AgentPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	trim := func(v *string) {
		if v != nil {
			*v = strings.TrimSpace(*v)
		}
	}
	trim(p.FullName)
	trim(p.Alias)
	trim(p.Email)
	trim(p.Phone)
	trim(p.Extension)
	f := apperr.FieldErrors{}
	p.Validate(f)
	if err := f.Err(); err != nil {
		return err
	}
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	updated, err := s.db.UpdateAgent(r.Context(), a.ID, &p, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	if p.Disabled != nil && *p.Disabled {
		s.signOutOfRouting(r, a.ID)
	}
	s.routingChanged(r, "agent", a.ID)
	writeJSON(w, http.StatusOK, toAgentJSON(updated))
	return nil
}

func (s *Server) unlockAgent(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	if err := s.db.Unlock(r.Context(), a.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeAgent(w, r, a.ID, http.StatusOK)
}

func (s *Server) writeAgent(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	a, err := s.db.Agent(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toAgentJSON(a))
	return nil
}

func (s *Server) setAgentPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	if err := s.auth.SetPassword(r.Context(), &a.Principal, in.Password, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setAgentQueues(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		QueueIDs []int64 `json:"queue_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	for _, q := range in.QueueIDs {
		if !s.queueExists(r, q) {
			return apperr.Field("queue_ids", "id.unknown", q)
		}
	}
	if err := s.checkQueueScope(r, "queue_ids", in.QueueIDs); err != nil {
		return err
	}
	// A user replaces only the memberships he can see: the agent keeps his
	// queues outside the user's profile.
	allowed, err := s.profileQueues(r)
	if err != nil {
		return err
	}
	if allowed != nil {
		for _, q := range a.Queues {
			if q.Via == "direct" && !allowed[q.ID] {
				in.QueueIDs = append(in.QueueIDs, q.ID)
			}
		}
	}
	if err := s.db.SetAgentQueues(r.Context(), a.ID, in.QueueIDs, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.routingChanged(r, "agent", a.ID)
	return s.writeAgent(w, r, a.ID, http.StatusOK)
}

func (s *Server) queueExists(r *http.Request, id int64) bool {
	list, err := s.db.Queues(r.Context(), "")
	if err != nil {
		return false
	}
	return slices.ContainsFunc(list, func(q *staff.Queue) bool { return q.ID == id })
}

func (s *Server) deleteAgent(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	if _, err := s.db.SoftDeletePrincipals(r.Context(), []int64{a.ID}, agentKinds, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	s.signOutOfRouting(r, a.ID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// idsBody is the body of the bulk actions.
type idsBody struct {
	IDs []int64 `json:"ids"`
}

func decodeIDs(r *http.Request) ([]int64, error) {
	var in idsBody
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if len(in.IDs) == 0 {
		return nil, apperr.Field("ids", "field.required")
	}
	if len(in.IDs) > 1000 {
		return nil, apperr.Field("ids", "field.too_many", 1000)
	}
	return in.IDs, nil
}

func (s *Server) deleteAgents(w http.ResponseWriter, r *http.Request) error {
	ids, err := decodeIDs(r)
	if err != nil {
		return err
	}
	// Every agent must be in scope, or nothing is deleted.
	for _, id := range ids {
		if err := s.checkAgentScope(r, id); err != nil {
			return err
		}
	}
	n, err := s.db.SoftDeletePrincipals(r.Context(), ids, agentKinds, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.signOutOfRouting(r, id)
	}
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
	return nil
}

// queryIDs reads ids=1,2,3.
func queryIDs(r *http.Request) ([]int64, error) {
	raw := r.URL.Query().Get("ids")
	if raw == "" {
		return nil, apperr.Field("ids", "field.required")
	}
	var out []int64
	for _, p := range strings.Split(raw, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || id <= 0 {
			return nil, apperr.Field("ids", "id.invalid")
		}
		out = append(out, id)
	}
	if len(out) > 10000 {
		return nil, apperr.Field("ids", "field.too_many", 10000)
	}
	return out, nil
}

func (s *Server) exportAgents(w http.ResponseWriter, r *http.Request) error {
	ids, err := queryIDs(r)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.checkAgentScope(r, id); err != nil {
			return err
		}
	}
	list, err := s.db.AgentsByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "username", "full_name", "alias", "typology", "email", "phone", "extension", "description",
		"disabled", "locked", "login_in_pause", "mask_sensitive_data", "teams", "created_at", "last_login_at"}}
	for _, a := range list {
		teams := make([]string, len(a.Teams))
		for i, t := range a.Teams {
			teams[i] = t.Name
		}
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.Username, a.FullName, a.Alias, a.Typology, a.Email,
			a.Phone, a.Extension, a.Description, strconv.FormatBool(a.Disabled), strconv.FormatBool(a.Locked()),
			strconv.FormatBool(a.LoginInPause), strconv.FormatBool(a.MaskSensitiveData), strings.Join(teams, "; "),
			a.CreatedAt.UTC().Format(time.RFC3339), formatTime(a.LastLoginAt)})
	}
	return writeCSV(w, "agents.csv", rows)
}

func formatTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) putAvatar(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	data, err := readUpload(r, "file", staff.MaxAvatarBytes)
	if err != nil {
		return err
	}
	av, err := staff.ProcessAvatar(data)
	if err != nil {
		return err
	}
	if err := s.db.PutAvatar(r.Context(), a.ID, av, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeAgent(w, r, a.ID, http.StatusOK)
}

// readUpload reads one file from a multipart form, or the raw body when the
// request is not multipart, refusing more than limit bytes.
func readUpload(r *http.Request, field string, limit int64) ([]byte, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if asMaxBytes(err, &tooBig) {
				return nil, apperr.New(apperr.TooLarge, "error.too_large", limit)
			}
			return nil, apperr.Field(field, "upload.invalid")
		}
		defer r.MultipartForm.RemoveAll()
		f, _, err := r.FormFile(field)
		if err != nil {
			return nil, apperr.Field(field, "field.required")
		}
		defer f.Close()
		return readLimited(f, limit)
	}
	return readLimited(r.Body, limit)
}

func readLimited(rd io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if asMaxBytes(err, &tooBig) {
			return nil, apperr.New(apperr.TooLarge, "error.too_large", limit)
		}
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, apperr.New(apperr.TooLarge, "error.too_large", limit)
	}
	return data, nil
}

func (s *Server) deleteAvatar(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteAvatar(r.Context(), a.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeAgent(w, r, a.ID, http.StatusOK)
}

// getAvatar serves a picture to anyone signed in: colleagues see each other.
func (s *Server) getAvatar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ct, data, updated, err := s.db.Avatar(r.Context(), id, r.URL.Query().Get("size") == "thumb")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Last-Modified", updated.UTC().Format(http.TimeFormat))
	_, err = w.Write(data)
	return err
}

func (s *Server) agentHistory(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	items, err := s.db.History(r.Context(), a.ID, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) agentClientLogs(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 200, 1, 10000)
	if err != nil {
		return err
	}
	lines, err := s.db.ClientLogs(r.Context(), a.ID, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": lines})
	return nil
}

func (s *Server) downloadClientLogs(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agentFor(r)
	if err != nil {
		return err
	}
	lines, err := s.db.ClientLogs(r.Context(), a.ID, 100000)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="client-log-%s.txt"`, a.Username))
	for i := len(lines) - 1; i >= 0; i-- { // oldest first, like a log file
		l := lines[i]
		fmt.Fprintf(w, "%s %-7s %s\n", l.At.UTC().Format(time.RFC3339Nano), l.Level, l.Message)
	}
	return nil
}

// signOutOfRouting logs an agent out of routing if he is in it (he was
// disabled, deleted or signed out of the web app).
func (s *Server) signOutOfRouting(r *http.Request, agentID int64) {
	if s.acd == nil {
		return
	}
	if _, err := s.db.PresenceOf(r.Context(), agentID); err != nil {
		return
	}
	if err := s.acd.Logout(r.Context(), agentID, callerFrom(r.Context()).ID()); err != nil {
		s.log.Error("routing logout", "agent", agentID, "err", err)
	}
}
