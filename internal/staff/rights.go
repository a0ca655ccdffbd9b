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
	ListIDs     []int64   `json:"list_ids"`
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
	if p.ListIDs == nil {
		p.ListIDs = []int64{}
	}
}

// List is a contact list: contacts live in lists, and user profiles and
// agents see only the lists they are given.
type List struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a list's name and description.
func (l *List) Validate(f apperr.FieldErrors) {
	l.Name, l.Description = strings.TrimSpace(l.Name), strings.TrimSpace(l.Description)
	validateName(f, l.Name, 100)
	if len(l.Description) > 1000 {
		f.Add("description", "field.too_long", 1000)
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

// Strategy is how a queue picks the agents it offers an interaction to.
type Strategy string

// Strategies, as the routing engine implements them.
const (
	RingAll       Strategy = "ring_all"
	RoundRobin    Strategy = "round_robin"
	LongestIdle   Strategy = "longest_idle"
	FewestHandled Strategy = "fewest_handled"
	Random        Strategy = "random"
	Linear        Strategy = "linear"
)

// Strategies lists every strategy.
var Strategies = []Strategy{RingAll, RoundRobin, LongestIdle, FewestHandled, Random, Linear}

// MaxWaitAction is what happens to an interaction that waited too long.
type MaxWaitAction string

const (
	KeepWaiting    MaxWaitAction = "keep"
	MoveToQueue    MaxWaitAction = "move"
	CloseUnmanaged MaxWaitAction = "close_unmanaged"
)

// Queue is a line of waiting interactions on one channel, with how it routes.
type Queue struct {
	ID             int64         `json:"id"`
	Name           string        `json:"name"`
	Channel        Channel       `json:"channel"`
	Description    string        `json:"description"`
	Strategy       Strategy      `json:"strategy"`
	AgentTimeout   int           `json:"agent_timeout"` // seconds one offer lasts
	MaxWait        int           `json:"max_wait"`      // seconds; 0 = no limit
	MaxWaitAction  MaxWaitAction `json:"max_wait_action"`
	MaxWaitQueueID *int64        `json:"max_wait_queue_id"`
	Priority       int           `json:"priority"` // higher is served first
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	Members        []QueueMember `json:"members,omitempty"`
}

// QueueMember is an agent of a queue and how he got there.
type QueueMember struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Via      string `json:"via"` // direct, team or profile
	Penalty  int    `json:"penalty"`
}

// DefaultQueue fills the routing settings of a new queue.
func DefaultQueue(q *Queue) {
	if q.Strategy == "" {
		q.Strategy = RingAll
	}
	if q.AgentTimeout == 0 {
		q.AgentTimeout = 60
	}
	if q.MaxWaitAction == "" {
		q.MaxWaitAction = KeepWaiting
	}
}

// Validate checks a queue's settings.
func (q *Queue) Validate(f apperr.FieldErrors) {
	q.Name = strings.TrimSpace(q.Name)
	validateName(f, q.Name, 100)
	if !ValidQueueChannel(q.Channel) {
		f.Add("channel", "channel.invalid")
	}
	if len(q.Description) > 1000 {
		f.Add("description", "field.too_long", 1000)
	}
	valid := false
	for _, s := range Strategies {
		valid = valid || s == q.Strategy
	}
	if !valid {
		f.Add("strategy", "strategy.invalid")
	}
	if q.AgentTimeout < 5 || q.AgentTimeout > 86400 {
		f.Add("agent_timeout", "number.range", 5, 86400)
	}
	if q.MaxWait < 0 || q.MaxWait > 30*86400 {
		f.Add("max_wait", "number.range", 0, 30*86400)
	}
	if q.Priority < -100 || q.Priority > 100 {
		f.Add("priority", "number.range", -100, 100)
	}
	switch q.MaxWaitAction {
	case KeepWaiting, CloseUnmanaged:
		q.MaxWaitQueueID = nil
	case MoveToQueue:
		if q.MaxWaitQueueID == nil {
			f.Add("max_wait_queue_id", "field.required")
		} else if *q.MaxWaitQueueID == q.ID {
			f.Add("max_wait_queue_id", "queue.move_to_self")
		}
	default:
		f.Add("max_wait_action", "max_wait_action.invalid")
	}
}

// AgentProfile is a named grouping of queues an agent picks at login; his
// Personal profile (his own queues) is always active on top of it.
type AgentProfile struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Enabled     bool           `json:"enabled"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	AgentIDs    []int64        `json:"agent_ids"`
	Queues      []ProfileQueue `json:"queues"`
	InUse       int            `json:"in_use"` // agents logged in with it now
}

// ProfileQueue is a queue of an agent profile; the penalty orders voice
// queues (lower = served first).
type ProfileQueue struct {
	QueueID int64   `json:"queue_id"`
	Name    string  `json:"name,omitempty"`
	Channel Channel `json:"channel,omitempty"`
	Penalty int     `json:"penalty"`
}

// Validate checks a profile's name, description and penalties.
func (p *AgentProfile) Validate(f apperr.FieldErrors) {
	p.Name = strings.TrimSpace(p.Name)
	validateName(f, p.Name, 100)
	if len(p.Description) > 1000 {
		f.Add("description", "field.too_long", 1000)
	}
	for _, q := range p.Queues {
		if q.Penalty < 0 || q.Penalty > 100 {
			f.Add("queues", "number.range", 0, 100)
		}
	}
}

// PauseReason is an admin-defined reason an agent can pause with, besides
// the default pause.
type PauseReason struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
}
