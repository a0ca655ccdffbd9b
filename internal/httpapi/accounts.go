package httpapi

import (
	"encoding/json"
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

// The /users resource holds admins and supervisors; /agents holds agents.
var (
	userKinds  = []auth.Kind{auth.KindAdmin, auth.KindUser}
	agentKinds = []auth.Kind{auth.KindAgent}
)

// userJSON is the admin's view of a user.
type userJSON struct {
	*auth.Principal
	Locked      bool       `json:"locked"`
	UserProfile *staff.Ref `json:"user_profile"`
}

func (s *Server) toUserJSON(r *http.Request, p *auth.Principal) (userJSON, error) {
	out := userJSON{Principal: p, Locked: p.Locked()}
	id, err := s.db.UserProfileOf(r.Context(), p.ID)
	if err != nil || id == nil {
		return out, err
	}
	prof, err := s.db.UserProfile(r.Context(), *id)
	if err != nil {
		return out, err
	}
	out.UserProfile = &staff.Ref{ID: prof.ID, Name: prof.Name}
	return out, nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	list, total, err := s.db.Principals(r.Context(), store.PrincipalFilter{Kinds: userKinds, Query: f.Query,
		Limit: f.Limit, Offset: f.Offset})
	if err != nil {
		return err
	}
	items := make([]userJSON, len(list))
	for i, p := range list {
		if items[i], err = s.toUserJSON(r, p); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		auth.NewAccount
		UserProfileID *int64 `json:"user_profile_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Normalize()
	if in.Kind == auth.KindAgent {
		in.Kind = "" // agents are created under /agents
	}
	f := apperr.FieldErrors{}
	in.Validate(f)
	if in.Kind == auth.KindUser && in.UserProfileID == nil {
		f.Add("user_profile_id", "field.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, mustChange, err := s.auth.HashInitialPassword(r.Context(), "password", in.Password)
	if err != nil {
		return err
	}
	p, err := s.db.CreateUser(r.Context(), auth.Principal{Kind: in.Kind, Username: in.Username, FullName: in.FullName,
		Email: in.Email, PasswordHash: hash, MustChangePassword: mustChange}, in.UserProfileID, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	return s.writeUser(w, r, p.ID, http.StatusCreated)
}

// userFor loads a live admin or user by the path id.
func (s *Server) userFor(r *http.Request) (*auth.Principal, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.db.Principal(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if p.DeletedAt != nil || !slices.Contains(userKinds, p.Kind) {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	return p, nil
}

func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	p, err := s.db.Principal(r.Context(), id)
	if err != nil {
		return err
	}
	out, err := s.toUserJSON(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	return s.writeUser(w, r, p.ID, http.StatusOK)
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]json.RawMessage
	if err := decode(r, &raw); err != nil {
		return err
	}
	var in struct {
		FullName      *string    `json:"full_name"`
		Email         *string    `json:"email"`
		Kind          *auth.Kind `json:"kind"`
		UserProfileID *int64     `json:"user_profile_id"`
		Disabled      *bool      `json:"disabled"`
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &in); err != nil {
		return apperr.New(apperr.Invalid, "error.bad_json")
	}
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	f := apperr.FieldErrors{}
	patch := store.UserPatch{FullName: in.FullName, Email: in.Email, Kind: in.Kind, Disabled: in.Disabled}
	var fields []string
	for k := range raw {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	if in.FullName != nil {
		*in.FullName = strings.TrimSpace(*in.FullName)
		if *in.FullName == "" {
			f.Add("full_name", "field.required")
		}
	}
	if in.Email != nil {
		*in.Email = strings.TrimSpace(*in.Email)
		auth.ValidateEmail(f, "email", *in.Email)
	}
	if in.Kind != nil && *in.Kind != auth.KindAdmin && *in.Kind != auth.KindUser {
		f.Add("kind", "kind.invalid")
	}
	if _, ok := raw["user_profile_id"]; ok {
		patch.UserProfileID = &in.UserProfileID
	}
	me := callerFrom(r.Context())
	if p.ID == me.ID() && ((in.Kind != nil && *in.Kind != auth.KindAdmin) || (in.Disabled != nil && *in.Disabled)) {
		f.Add("kind", "user.self_demote")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if err := s.db.UpdateUser(r.Context(), p.ID, patch, fields, me.ID()); err != nil {
		return err
	}
	return s.writeUser(w, r, p.ID, http.StatusOK)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	if _, err := s.db.SoftDeletePrincipals(r.Context(), []int64{p.ID}, userKinds, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteUsers(w http.ResponseWriter, r *http.Request) error {
	ids, err := decodeIDs(r)
	if err != nil {
		return err
	}
	n, err := s.db.SoftDeletePrincipals(r.Context(), ids, userKinds, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
	return nil
}

func (s *Server) unlockUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	if err := s.db.Unlock(r.Context(), p.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	return s.writeUser(w, r, p.ID, http.StatusOK)
}

func (s *Server) setUserPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	if err := s.auth.SetPassword(r.Context(), p, in.Password, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) userHistory(w http.ResponseWriter, r *http.Request) error {
	p, err := s.userFor(r)
	if err != nil {
		return err
	}
	items, err := s.db.History(r.Context(), p.ID, 200)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) exportUsers(w http.ResponseWriter, r *http.Request) error {
	ids, err := queryIDs(r)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "username", "full_name", "email", "kind", "user_profile", "disabled", "locked", "created_at", "last_login_at"}}
	for _, id := range ids {
		p, err := s.db.Principal(r.Context(), id)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if p.DeletedAt != nil || !slices.Contains(userKinds, p.Kind) {
			continue
		}
		u, err := s.toUserJSON(r, p)
		if err != nil {
			return err
		}
		profile := ""
		if u.UserProfile != nil {
			profile = u.UserProfile.Name
		}
		rows = append(rows, []string{strconv.FormatInt(p.ID, 10), p.Username, p.FullName, p.Email, string(p.Kind), profile,
			strconv.FormatBool(p.Disabled), strconv.FormatBool(p.Locked()), p.CreatedAt.UTC().Format(time.RFC3339),
			formatTime(p.LastLoginAt)})
	}
	return writeCSV(w, "users.csv", rows)
}

func (s *Server) listUserProfiles(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.UserProfiles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}

func (s *Server) createUserProfile(w http.ResponseWriter, r *http.Request) error {
	var p staff.UserProfile
	if err := decode(r, &p); err != nil {
		return err
	}
	p.ID = 0
	return s.saveUserProfile(w, r, &p, http.StatusCreated)
}

func (s *Server) saveUserProfile(w http.ResponseWriter, r *http.Request, p *staff.UserProfile, status int) error {
	p.Normalize()
	f := apperr.FieldErrors{}
	p.Validate(f)
	if err := f.Err(); err != nil {
		return err
	}
	saved, err := s.db.SaveUserProfile(r.Context(), p, callerFrom(r.Context()).ID())
	if err != nil {
		return err
	}
	writeJSON(w, status, saved)
	return nil
}

func (s *Server) getUserProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.UserProfile(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) patchUserProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.UserProfile(r.Context(), id)
	if err != nil {
		return err
	}
	var in struct {
		Name        *string       `json:"name"`
		Description *string       `json:"description"`
		Rights      *staff.Rights `json:"rights"`
		QueueIDs    *[]int64      `json:"queue_ids"`
		ListIDs     *[]int64      `json:"list_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Name != nil {
		p.Name = *in.Name
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Rights != nil {
		p.Rights = *in.Rights
	}
	if in.QueueIDs != nil {
		p.QueueIDs = *in.QueueIDs
	}
	if in.ListIDs != nil {
		p.ListIDs = *in.ListIDs
	}
	return s.saveUserProfile(w, r, p, http.StatusOK)
}

func (s *Server) deleteUserProfile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.DeleteUserProfile(r.Context(), id, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deletedMemberFor loads a deleted member the caller may restore or purge:
// users only by admins, agents by users within their profile's queues.
func (s *Server) deletedMemberFor(r *http.Request) (*auth.Principal, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.db.Principal(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if p.DeletedAt == nil {
		return nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	c := callerFrom(r.Context())
	if p.Kind != auth.KindAgent && !c.IsAdmin() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if p.Kind == auth.KindAgent {
		if err := s.checkAgentScope(r, p.ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) listDeletedMembers(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	list, total, err := s.db.DeletedPrincipals(r.Context(), f, teamScope(callerFrom(r.Context())))
	if err != nil {
		return err
	}
	type item struct {
		ID        int64      `json:"id"`
		Kind      auth.Kind  `json:"kind"`
		Username  string     `json:"username"`
		FullName  string     `json:"full_name"`
		DeletedAt *time.Time `json:"deleted_at"`
	}
	items := make([]item, len(list))
	for i, p := range list {
		items[i] = item{p.ID, p.Kind, p.Username, p.FullName, p.DeletedAt}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

func (s *Server) restoreMember(w http.ResponseWriter, r *http.Request) error {
	p, err := s.deletedMemberFor(r)
	if err != nil {
		return err
	}
	if err := s.db.RestorePrincipal(r.Context(), p.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) purgeMember(w http.ResponseWriter, r *http.Request) error {
	p, err := s.deletedMemberFor(r)
	if err != nil {
		return err
	}
	if err := s.db.PurgePrincipal(r.Context(), p.ID, callerFrom(r.Context()).ID()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
