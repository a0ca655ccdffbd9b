// Package staff holds the people of a contact center as admins manage them:
// agents with every setting of their desktop, teams, queue membership, users
// with their user profiles (rights per section and the queues that bound
// what they may touch), and the deleted members that can be restored.
package staff

import (
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
)

// Channel is a messaging channel an agent works on.
type Channel string

const (
	Chat        Channel = "chat"
	WhatsApp    Channel = "whatsapp"
	SMS         Channel = "sms"
	Email       Channel = "email"
	OpenChannel Channel = "openchannel"
	Fax         Channel = "fax"
	Voice       Channel = "voice" // queues only: agents' voice settings come with the voice channel
)

// AgentChannels are the channels with per-agent capacity and auto-answer.
var AgentChannels = []Channel{Chat, WhatsApp, SMS, Email, OpenChannel, Fax}

// QueueChannels are the channels a queue can serve.
var QueueChannels = []Channel{Chat, WhatsApp, SMS, Email, OpenChannel, Fax, Voice}

// ValidQueueChannel reports whether c is a queue channel.
func ValidQueueChannel(c Channel) bool {
	for _, q := range QueueChannels {
		if q == c {
			return true
		}
	}
	return false
}

// ChannelSettings is how one agent works one channel.
type ChannelSettings struct {
	Capacity        int  `json:"capacity"` // concurrent interactions; 0 = unlimited
	AutoAnswer      bool `json:"auto_answer"`
	AutoAnswerDelay int  `json:"auto_answer_delay"` // seconds
	AdvancedSearch  bool `json:"advanced_search"`
}

// Sidebar sections of the agent desktop an admin can grant.
var SidebarSections = []string{"dashboard", "contacts", "my_contacts", "voice_calls", "abandoned_calls", "recordings",
	"chat", "whatsapp", "email", "sms", "openchannel", "fax"}

// Permissions are what an agent may do beyond handling interactions.
type Permissions struct {
	Messenger           bool     `json:"messenger"`
	MessengerSound      bool     `json:"messenger_sound"`
	DownloadAttachments bool     `json:"download_attachments"`
	DownloadTranscripts bool     `json:"download_transcripts"`
	Sidebar             []string `json:"sidebar"`
}

// Client log levels, most severe first; each level includes those before it.
var LogLevels = []string{"ERROR", "WARNING", "INFO", "DEBUG"}

// ClientLog is the desktop logging an admin turned on for an agent.
type ClientLog struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

// Includes reports whether a line at level is collected under this setting.
func (c ClientLog) Includes(level string) bool {
	if !c.Enabled {
		return false
	}
	return levelRank(level) >= 0 && levelRank(level) <= levelRank(c.Level)
}

func levelRank(level string) int {
	for i, l := range LogLevels {
		if l == level {
			return i
		}
	}
	return -1
}

// Typologies of agents: how they log in and pause.
var Typologies = []string{"external", "webrtc", "phonebar"}

// Agent is an agent with all his settings.
type Agent struct {
	auth.Principal
	Alias             string                      `json:"alias"`
	Typology          string                      `json:"typology"`
	Phone             string                      `json:"phone"`
	Extension         string                      `json:"extension"`
	Description       string                      `json:"description"`
	LoginInPause      bool                        `json:"login_in_pause"`
	MaskSensitiveData bool                        `json:"mask_sensitive_data"`
	AvatarUpdatedAt   *time.Time                  `json:"-"`
	Channels          map[Channel]ChannelSettings `json:"channels"`
	Permissions       Permissions                 `json:"permissions"`
	ClientLog         ClientLog                   `json:"client_log"`
	Teams             []Ref                       `json:"teams,omitempty"`
	Queues            []QueueRef                  `json:"queues,omitempty"`
}

// Ref names a team, profile or person.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// QueueRef names a queue an agent belongs to and how.
type QueueRef struct {
	ID      int64   `json:"id"`
	Name    string  `json:"name"`
	Channel Channel `json:"channel"`
	Via     string  `json:"via"` // "direct" or "team"
}

// DefaultAgentSettings fills the settings of a new agent.
func DefaultAgentSettings(a *Agent) {
	if a.Typology == "" {
		a.Typology = "external"
	}
	a.Channels = map[Channel]ChannelSettings{}
	for _, c := range AgentChannels {
		a.Channels[c] = ChannelSettings{}
	}
	a.Permissions = Permissions{Messenger: true, MessengerSound: true, Sidebar: append([]string(nil), SidebarSections...)}
	a.ClientLog = ClientLog{Level: "ERROR"}
}

// NewAgent is the input of an agent's creation.
type NewAgent struct {
	auth.NewAccount
	Alias             string `json:"alias"`
	Typology          string `json:"typology"`
	Phone             string `json:"phone"`
	Extension         string `json:"extension"`
	Description       string `json:"description"`
	LoginInPause      bool   `json:"login_in_pause"`
	MaskSensitiveData bool   `json:"mask_sensitive_data"`
}

// Validate checks a new agent (the password policy is checked by auth).
func (n *NewAgent) Validate(f apperr.FieldErrors) {
	n.Kind = auth.KindAgent
	n.Normalize()
	n.NewAccount.Validate(f)
	validateAgentText(f, &n.Alias, &n.Typology, &n.Phone, &n.Extension, &n.Description)
}

// AgentPatch changes some of an agent's settings; nil fields stay as they are.
type AgentPatch struct {
	FullName          *string                   `json:"full_name"`
	Alias             *string                   `json:"alias"`
	Typology          *string                   `json:"typology"`
	Email             *string                   `json:"email"`
	Phone             *string                   `json:"phone"`
	Extension         *string                   `json:"extension"`
	Description       *string                   `json:"description"`
	LoginInPause      *bool                     `json:"login_in_pause"`
	Disabled          *bool                     `json:"disabled"`
	MaskSensitiveData *bool                     `json:"mask_sensitive_data"`
	Channels          map[Channel]*ChannelPatch `json:"channels"`
	Permissions       *PermissionsPatch         `json:"permissions"`
	ClientLog         *ClientLogPatch           `json:"client_log"`
}

// ChannelPatch changes some settings of one channel.
type ChannelPatch struct {
	Capacity        *int  `json:"capacity"`
	AutoAnswer      *bool `json:"auto_answer"`
	AutoAnswerDelay *int  `json:"auto_answer_delay"`
	AdvancedSearch  *bool `json:"advanced_search"`
}

// PermissionsPatch changes some permissions.
type PermissionsPatch struct {
	Messenger           *bool     `json:"messenger"`
	MessengerSound      *bool     `json:"messenger_sound"`
	DownloadAttachments *bool     `json:"download_attachments"`
	DownloadTranscripts *bool     `json:"download_transcripts"`
	Sidebar             *[]string `json:"sidebar"`
}

// ClientLogPatch turns client logging on or off or changes its level.
type ClientLogPatch struct {
	Enabled *bool   `json:"enabled"`
	Level   *string `json:"level"`
}

func validateAgentText(f apperr.FieldErrors, alias, typology, phone, extension, description *string) {
	limit := func(field string, s *string, n int) {
		if s != nil && len(*s) > n {
			f.Add(field, "field.too_long", n)
		}
	}
	limit("alias", alias, 100)
	limit("phone", phone, 50)
	limit("description", description, 1000)
	if typology != nil && *typology != "" && !contains(Typologies, *typology) {
		f.Add("typology", "typology.invalid")
	}
	if extension != nil && *extension != "" && !extensionOK(*extension) {
		f.Add("extension", "extension.invalid")
	}
}

// extensionOK: an internal number is 2 to 10 digits.
func extensionOK(s string) bool {
	if len(s) < 2 || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Validate checks a patch and reports every bad field.
func (p *AgentPatch) Validate(f apperr.FieldErrors) {
	if p.FullName != nil {
		switch {
		case *p.FullName == "":
			f.Add("full_name", "field.required")
		case len(*p.FullName) > 200:
			f.Add("full_name", "field.too_long", 200)
		}
	}
	if p.Typology != nil && *p.Typology == "" {
		f.Add("typology", "typology.invalid")
	}
	if p.Extension != nil && *p.Extension == "" {
		f.Add("extension", "field.required")
	}
	validateAgentText(f, p.Alias, p.Typology, p.Phone, p.Extension, p.Description)
	if p.Email != nil {
		auth.ValidateEmail(f, "email", *p.Email)
	}
	for c, cp := range p.Channels {
		if !contains(channelNames(), string(c)) {
			f.Add("channels."+string(c), "channel.invalid")
			continue
		}
		if cp == nil {
			continue
		}
		if cp.Capacity != nil && (*cp.Capacity < 0 || *cp.Capacity > 1000) {
			f.Add("channels."+string(c)+".capacity", "number.range", 0, 1000)
		}
		if cp.AutoAnswerDelay != nil && (*cp.AutoAnswerDelay < 0 || *cp.AutoAnswerDelay > 3600) {
			f.Add("channels."+string(c)+".auto_answer_delay", "number.range", 0, 3600)
		}
	}
	if p.Permissions != nil && p.Permissions.Sidebar != nil {
		for _, s := range *p.Permissions.Sidebar {
			if !contains(SidebarSections, s) {
				f.Add("permissions.sidebar", "sidebar.invalid", s)
			}
		}
	}
	if p.ClientLog != nil && p.ClientLog.Level != nil && levelRank(*p.ClientLog.Level) < 0 {
		f.Add("client_log.level", "log_level.invalid")
	}
}

func channelNames() []string {
	out := make([]string, len(AgentChannels))
	for i, c := range AgentChannels {
		out[i] = string(c)
	}
	return out
}

// ChangedFields names the fields a patch touches, for the audit trail.
func (p *AgentPatch) ChangedFields() []string {
	var out []string
	add := func(name string, set bool) {
		if set {
			out = append(out, name)
		}
	}
	add("full_name", p.FullName != nil)
	add("alias", p.Alias != nil)
	add("typology", p.Typology != nil)
	add("email", p.Email != nil)
	add("phone", p.Phone != nil)
	add("extension", p.Extension != nil)
	add("description", p.Description != nil)
	add("login_in_pause", p.LoginInPause != nil)
	add("disabled", p.Disabled != nil)
	add("mask_sensitive_data", p.MaskSensitiveData != nil)
	add("channels", len(p.Channels) > 0)
	add("permissions", p.Permissions != nil)
	add("client_log", p.ClientLog != nil)
	return out
}

// Apply writes the patch onto an agent.
func (p *AgentPatch) Apply(a *Agent) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setB := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.FullName, p.FullName)
	set(&a.Alias, p.Alias)
	set(&a.Typology, p.Typology)
	set(&a.Email, p.Email)
	set(&a.Phone, p.Phone)
	set(&a.Extension, p.Extension)
	set(&a.Description, p.Description)
	setB(&a.LoginInPause, p.LoginInPause)
	setB(&a.Disabled, p.Disabled)
	setB(&a.MaskSensitiveData, p.MaskSensitiveData)
	for c, cp := range p.Channels {
		if cp == nil {
			continue
		}
		cs := a.Channels[c]
		if cp.Capacity != nil {
			cs.Capacity = *cp.Capacity
		}
		setB(&cs.AutoAnswer, cp.AutoAnswer)
		if cp.AutoAnswerDelay != nil {
			cs.AutoAnswerDelay = *cp.AutoAnswerDelay
		}
		setB(&cs.AdvancedSearch, cp.AdvancedSearch)
		a.Channels[c] = cs
	}
	if pp := p.Permissions; pp != nil {
		setB(&a.Permissions.Messenger, pp.Messenger)
		setB(&a.Permissions.MessengerSound, pp.MessengerSound)
		setB(&a.Permissions.DownloadAttachments, pp.DownloadAttachments)
		setB(&a.Permissions.DownloadTranscripts, pp.DownloadTranscripts)
		if pp.Sidebar != nil {
			a.Permissions.Sidebar = append([]string{}, *pp.Sidebar...)
		}
	}
	if cl := p.ClientLog; cl != nil {
		setB(&a.ClientLog.Enabled, cl.Enabled)
		set(&a.ClientLog.Level, cl.Level)
	}
}
