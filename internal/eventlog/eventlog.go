// Package eventlog names the append-only events that every state change of
// Switchboard writes in the same transaction as the change itself. The log
// feeds the audit trail, the realtime stream and the reports.
package eventlog

import (
	"encoding/json"
	"time"
)

// Type names what happened, as "<subject>.<verb>".
type Type string

const (
	PrincipalCreated       Type = "principal.created"
	PrincipalUpdated       Type = "principal.updated"
	PasswordChanged        Type = "principal.password_changed"
	PasswordSet            Type = "principal.password_set"
	PasswordReset          Type = "principal.password_reset"
	PrincipalLocked        Type = "principal.locked"
	PrincipalUnlocked      Type = "principal.unlocked"
	LoginSucceeded         Type = "auth.login"
	LoginFailed            Type = "auth.login_failed"
	LoggedOut              Type = "auth.logout"
	LoggedOutEverywhere    Type = "auth.logout_everywhere"
	APITokenCreated        Type = "api_token.created"
	APITokenRevoked        Type = "api_token.revoked"
	SettingChanged         Type = "setting.changed"
	ClientLogChanged       Type = "client_log.changed"
	AvatarUpdated          Type = "avatar.updated"
	QueueMembershipChanged Type = "principal.queues_changed"
	PrincipalDeleted       Type = "principal.deleted"
	PrincipalRestored      Type = "principal.restored"
	PrincipalPurged        Type = "principal.purged"
	TeamCreated            Type = "team.created"
	TeamUpdated            Type = "team.updated"
	TeamDeleted            Type = "team.deleted"
	TeamMemberAdded        Type = "team.member_added"
	TeamMemberRemoved      Type = "team.member_removed"
	QueueUpdated           Type = "queue.updated"
	QueueDeleted           Type = "queue.deleted"
	QueueMemberAdded       Type = "queue.member_added"
	QueueMemberRemoved     Type = "queue.member_removed"
	AgentProfileCreated    Type = "agent_profile.created"
	AgentProfileUpdated    Type = "agent_profile.updated"
	AgentProfileDeleted    Type = "agent_profile.deleted"
	PauseReasonCreated     Type = "pause_reason.created"
	PauseReasonDeleted     Type = "pause_reason.deleted"
	AgentLogin             Type = "agent.login"
	AgentLogout            Type = "agent.logout"
	AgentProfileChanged    Type = "agent.profile_changed"
	AgentPaused            Type = "agent.paused"
	AgentResumed           Type = "agent.resumed"
	InteractionCreated     Type = "interaction.created"
	InteractionTagged      Type = "interaction.tags_changed"
	SubStatusChanged       Type = "interaction.sub_status_changed"
	InteractionDisposed    Type = "interaction.disposed"
	InteractionRead        Type = "interaction.read"
	NoteAdded              Type = "interaction.note_added"
	MessageSent            Type = "message.sent"
	MessageReceived        Type = "message.received"
	MessageDelivery        Type = "message.delivery"
	ListCreated            Type = "list.created"
	ListUpdated            Type = "list.updated"
	ListDeleted            Type = "list.deleted"
	QueueCreated           Type = "queue.created"
	UserProfileCreated     Type = "user_profile.created"
	UserProfileUpdated     Type = "user_profile.updated"
	UserProfileDeleted     Type = "user_profile.deleted"
	TagCreated             Type = "tag.created"
	TagUpdated             Type = "tag.updated"
	TagDeleted             Type = "tag.deleted"
	DispositionCreated     Type = "disposition.created"
	DispositionUpdated     Type = "disposition.updated"
	DispositionDeleted     Type = "disposition.deleted"
	CannedAnswerCreated    Type = "canned_answer.created"
	CannedAnswerUpdated    Type = "canned_answer.updated"
	CannedAnswerDeleted    Type = "canned_answer.deleted"
	SubStatusCreated       Type = "sub_status.created"
	SubStatusUpdated       Type = "sub_status.updated"
	SubStatusDeleted       Type = "sub_status.deleted"
	AccountCreated         Type = "account.created"
	AccountUpdated         Type = "account.updated"
	AccountDeleted         Type = "account.deleted"
	AccountKeyRotated      Type = "account.key_rotated"
)

// The Contact Manager's events.
const (
	ListFieldCreated      Type = "list.field_created"
	ListFieldUpdated      Type = "list.field_updated"
	ListFieldDeleted      Type = "list.field_deleted"
	ListAgentSet          Type = "list.agent_set"
	ListAgentRemoved      Type = "list.agent_removed"
	ContactCreated        Type = "contact.created"
	ContactUpdated        Type = "contact.updated"
	ContactDeleted        Type = "contact.deleted"
	ContactMerged         Type = "contact.merged"
	ContactCopied         Type = "contact.copied"
	ContactImportStarted  Type = "contact_import.started"
	ContactImportProgress Type = "contact_import.progress"
	ContactImportFinished Type = "contact_import.finished"
)

// InteractionWatchersChanged: someone opened or left an interaction's
// screen; its data lists who is watching it now.
const InteractionWatchersChanged Type = "interaction.watchers_changed"

// InteractionContactLinked: an agent or a supervisor said which contact an
// interaction is with (PUT /interactions/{id}/contact).
const InteractionContactLinked Type = "interaction.contact_linked"

// A WhatsApp account's message templates: an admin's changes and a sync
// from the provider.
const (
	WhatsAppTemplateCreated Type = "whatsapp_template.created"
	WhatsAppTemplateUpdated Type = "whatsapp_template.updated"
	WhatsAppTemplateDeleted Type = "whatsapp_template.deleted"
	WhatsAppTemplatesSynced Type = "whatsapp_template.synced"
)

// Event is one row of the log. ActorID is the principal who caused it (nil for
// the system); Subject names what it is about.
type Event struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	Type        Type            `json:"type"`
	ActorID     *int64          `json:"actor_id"`
	SubjectType string          `json:"subject_type"`
	SubjectID   *int64          `json:"subject_id"`
	Data        json.RawMessage `json:"data"`
}

// Filter selects events for reading, oldest first.
type Filter struct {
	SubjectType string
	SubjectID   int64
	Types       []Type
	AfterID     int64
	Limit       int
}

// Data marshals v for Event.Data; it panics only on a programming error
// (a value that cannot be marshalled).
func Data(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage(`{}`)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("eventlog: unmarshalable event data: " + err.Error())
	}
	return b
}
