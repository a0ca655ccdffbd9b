package staff

import (
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// Section is a part of the admin console a user profile grants rights on.
type Section string

const (
	SectionStaff         Section = "staff"
	SectionAgentProfiles Section = "agent_profiles"
	SectionQueues        Section = "queues"
	SectionChannels      Section = "channels"
	SectionContacts      Section = "contacts"
	SectionReports       Section = "reports"
	SectionRealtime      Section = "realtime"
	SectionSettings      Section = "settings"
)

// Sections lists every section.
var Sections = []Section{SectionStaff, SectionAgentProfiles, SectionQueues, SectionChannels, SectionContacts,
	SectionReports, SectionRealtime, SectionSettings}

// Right is what a user may do in a section: view it (lists), read one
// item, edit (create and change), delete.
type Right string

const (
	View   Right = "view"
	Read   Right = "read"
	Edit   Right = "edit"
	Delete Right = "delete"
)

// AllRights lists every right.
var AllRights = []Right{View, Read, Edit, Delete}

// Rights maps a section to the rights granted in it.
type Rights map[Section][]Right

// Has reports whether the rights include right in section.
func (r Rights) Has(s Section, right Right) bool {
	for _, x := range r[s] {
		if x == right {
			return true
		}
	}
	return false
}

// FullRights is what an admin has.
func FullRights() Rights {
	r := Rights{}
	for _, s := range Sections {
		r[s] = append([]Right(nil), AllRights...)
	}
	return r
}

// UserProfile is a named set of rights for users, bounded to some queues:
// a user can only operate on agents added to the queues his profile enables.
type UserProfile struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Rights      Rights    `json:"rights"`
	QueueIDs    []int64   `json:"queue_ids"`
	UserCount   int       `json:"user_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Normalize trims text and drops empty sections.
func (p *UserProfile) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Description = strings.TrimSpace(p.Description)
	if p.Rights == nil {
		p.Rights = Rights{}
	}
	if p.QueueIDs == nil {
		p.QueueIDs = []int64{}
	}
}

// Validate checks names, sections and rights.
func (p *UserProfile) Validate(f apperr.FieldErrors) {
	validateName(f, p.Name, 100)
	if len(p.Description) > 1000 {
		f.Add("description", "field.too_long", 1000)
	}
	for s, rs := range p.Rights {
		if !validSection(s) {
			f.Add("rights."+string(s), "section.invalid")
			continue
		}
		for _, r := range rs {
			if r != View && r != Read && r != Edit && r != Delete {
				f.Add("rights."+string(s), "right.invalid", string(r))
			}
		}
	}
}

func validSection(s Section) bool {
	for _, x := range Sections {
		if x == s {
			return true
		}
	}
	return false
}

func validateName(f apperr.FieldErrors, name string, max int) {
	switch {
	case name == "":
		f.Add("name", "field.required")
	case len(name) > max:
		f.Add("name", "field.too_long", max)
	}
}

// Team is a named set of agents, used to add many agents to queues at once.
type Team struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	AgentCount  int       `json:"agent_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Agents      []Member  `json:"agents,omitempty"`
	QueueIDs    []int64   `json:"queue_ids,omitempty"`
}

// Member is an agent as listed in a team.
type Member struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
}

// ValidateTeam checks a team's name and description.
func ValidateTeam(f apperr.FieldErrors, name, description string) {
	validateName(f, name, 100)
	if len(description) > 1000 {
		f.Add("description", "field.too_long", 1000)
	}
}

// Queue is a line of waiting interactions on one channel. Its routing
// settings come with the routing engine.
type Queue struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Channel   Channel   `json:"channel"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
