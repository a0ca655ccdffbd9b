package httpapi

import (
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/staff"
)

// handlerFunc is an API handler; a returned error is written as JSON.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table.
type route struct {
	method    string
	path      string
	access    Access
	handler   handlerFunc
	bodyLimit int64 // 0: the server's default JSON limit
}

func rt(method, path string, access Access, h handlerFunc) route {
	return route{method: method, path: path, access: access, handler: h}
}

// upload raises a route's body limit for a file upload.
func upload(r route, limit int64) route {
	r.bodyLimit = limit
	return r
}

var (
	staffView   = Section(staff.SectionStaff, staff.View)
	staffRead   = Section(staff.SectionStaff, staff.Read)
	staffEdit   = Section(staff.SectionStaff, staff.Edit)
	staffDelete = Section(staff.SectionStaff, staff.Delete)

	realtimeView = Section(staff.SectionRealtime, staff.View)
	realtimeEdit = Section(staff.SectionRealtime, staff.Edit)

	channelsView   = Section(staff.SectionChannels, staff.View)
	channelsRead   = Section(staff.SectionChannels, staff.Read)
	channelsEdit   = Section(staff.SectionChannels, staff.Edit)
	channelsDelete = Section(staff.SectionChannels, staff.Delete)

	settingsEdit   = Section(staff.SectionSettings, staff.Edit)
	settingsDelete = Section(staff.SectionSettings, staff.Delete)
)

// table is the route table: each route with the rule the server enforces.
// Users and user profiles are for admins only, so no one can grant himself
// rights; agents and teams are open to users by their profile's staff
// rights, bounded to the agents of their profile's queues.
func (s *Server) table() []route {
	s.routesOnce.Do(func() {
		s.routes = []route{
			rt("GET", "/api/v1/openapi.yaml", Public, s.openAPI),
			rt("GET", "/api/v1/auth/options", Public, s.authOptions),
			rt("POST", "/api/v1/auth/login", Public, s.login),
			rt("POST", "/api/v1/auth/password-reset", Public, s.requestReset),
			rt("POST", "/api/v1/auth/password-reset/confirm", Public, s.confirmReset),
			rt("GET", "/api/v1/auth/me", SignedIn, s.me),
			rt("POST", "/api/v1/auth/logout", SignedIn, s.logout),
			rt("POST", "/api/v1/auth/logout-everywhere", SignedIn, s.logoutEverywhere),
			rt("POST", "/api/v1/auth/password", SignedIn, s.changePassword),

			rt("GET", "/api/v1/settings/security", AdminOnly, s.getSecurity),
			rt("PUT", "/api/v1/settings/security", AdminOnly, s.putSecurity),
			rt("GET", "/api/v1/api-tokens", AdminOnly, s.listAPITokens),
			rt("POST", "/api/v1/api-tokens", AdminOnly, s.createAPIToken),
			rt("DELETE", "/api/v1/api-tokens/{id}", AdminOnly, s.revokeAPIToken),
			rt("GET", "/api/v1/events", AdminOnly, s.listEvents),

			rt("GET", "/api/v1/users", AdminOnly, s.listUsers),
			rt("POST", "/api/v1/users", AdminOnly, s.createUser),
			rt("POST", "/api/v1/users/delete", AdminOnly, s.deleteUsers),
			rt("GET", "/api/v1/users/export.csv", AdminOnly, s.exportUsers),
			rt("GET", "/api/v1/users/{id}", AdminOnly, s.getUser),
			rt("PATCH", "/api/v1/users/{id}", AdminOnly, s.patchUser),
			rt("DELETE", "/api/v1/users/{id}", AdminOnly, s.deleteUser),
			rt("POST", "/api/v1/users/{id}/unlock", AdminOnly, s.unlockUser),
			rt("PUT", "/api/v1/users/{id}/password", AdminOnly, s.setUserPassword),
			rt("GET", "/api/v1/users/{id}/history", AdminOnly, s.userHistory),

			rt("GET", "/api/v1/user-profiles", AdminOnly, s.listUserProfiles),
			rt("POST", "/api/v1/user-profiles", AdminOnly, s.createUserProfile),
			rt("GET", "/api/v1/user-profiles/{id}", AdminOnly, s.getUserProfile),
			rt("PATCH", "/api/v1/user-profiles/{id}", AdminOnly, s.patchUserProfile),
			rt("DELETE", "/api/v1/user-profiles/{id}", AdminOnly, s.deleteUserProfile),

			rt("GET", "/api/v1/agents", staffView, s.listAgents),
			rt("POST", "/api/v1/agents", staffEdit, s.createAgent),
			rt("POST", "/api/v1/agents/delete", staffDelete, s.deleteAgents),
			rt("GET", "/api/v1/agents/export.csv", staffView, s.exportAgents),
			rt("GET", "/api/v1/agents/{id}", staffRead, s.getAgent),
			rt("PATCH", "/api/v1/agents/{id}", staffEdit, s.patchAgent),
			rt("DELETE", "/api/v1/agents/{id}", staffDelete, s.deleteAgent),
			rt("POST", "/api/v1/agents/{id}/unlock", staffEdit, s.unlockAgent),
			rt("PUT", "/api/v1/agents/{id}/password", staffEdit, s.setAgentPassword),
			rt("PUT", "/api/v1/agents/{id}/queues", staffEdit, s.setAgentQueues),
			upload(rt("PUT", "/api/v1/agents/{id}/avatar", staffEdit, s.putAvatar), staff.MaxAvatarBytes+1<<20),
			rt("DELETE", "/api/v1/agents/{id}/avatar", staffEdit, s.deleteAvatar),
			rt("GET", "/api/v1/agents/{id}/avatar", AnyPrincipal, s.getAvatar),
			rt("GET", "/api/v1/agents/{id}/history", staffRead, s.agentHistory),
			rt("GET", "/api/v1/agents/{id}/client-logs", staffRead, s.agentClientLogs),
			rt("GET", "/api/v1/agents/{id}/client-logs.txt", staffRead, s.downloadClientLogs),

			rt("GET", "/api/v1/teams", staffView, s.listTeams),
			rt("POST", "/api/v1/teams", staffEdit, s.createTeam),
			rt("POST", "/api/v1/teams/delete", staffDelete, s.deleteTeams),
			rt("GET", "/api/v1/teams/export.csv", staffView, s.exportTeams),
			rt("GET", "/api/v1/teams/{id}", staffRead, s.getTeam),
			rt("PATCH", "/api/v1/teams/{id}", staffEdit, s.patchTeam),
			rt("DELETE", "/api/v1/teams/{id}", staffDelete, s.deleteTeam),
			rt("POST", "/api/v1/teams/{id}/agents", staffEdit, s.addTeamAgents),
			rt("DELETE", "/api/v1/teams/{id}/agents/{agent_id}", staffEdit, s.removeTeamAgent),
			rt("PUT", "/api/v1/teams/{id}/queues", staffEdit, s.setTeamQueues),

			rt("GET", "/api/v1/deleted-members", staffDelete, s.listDeletedMembers),
			rt("POST", "/api/v1/deleted-members/{id}/restore", staffDelete, s.restoreMember),
			rt("DELETE", "/api/v1/deleted-members/{id}", staffDelete, s.purgeMember),

			rt("GET", "/api/v1/queues", AnySection(staff.View, staff.SectionQueues, staff.SectionStaff), s.listQueues),
			rt("POST", "/api/v1/queues", Section(staff.SectionQueues, staff.Edit), s.createQueue),
			rt("GET", "/api/v1/queues/{id}", Section(staff.SectionQueues, staff.Read), s.getQueue),
			rt("PATCH", "/api/v1/queues/{id}", Section(staff.SectionQueues, staff.Edit), s.patchQueue),
			rt("DELETE", "/api/v1/queues/{id}", Section(staff.SectionQueues, staff.Delete), s.deleteQueue),
			rt("PUT", "/api/v1/queues/{id}/members/{agent_id}", Section(staff.SectionQueues, staff.Edit), s.putQueueMember),
			rt("DELETE", "/api/v1/queues/{id}/members/{agent_id}", Section(staff.SectionQueues, staff.Edit), s.deleteQueueMember),

			rt("GET", "/api/v1/agent-profiles", Section(staff.SectionAgentProfiles, staff.View), s.listAgentProfiles),
			rt("POST", "/api/v1/agent-profiles", Section(staff.SectionAgentProfiles, staff.Edit), s.createAgentProfile),
			rt("GET", "/api/v1/agent-profiles/{id}", Section(staff.SectionAgentProfiles, staff.Read), s.getAgentProfile),
			rt("PATCH", "/api/v1/agent-profiles/{id}", Section(staff.SectionAgentProfiles, staff.Edit), s.patchAgentProfile),
			rt("DELETE", "/api/v1/agent-profiles/{id}", Section(staff.SectionAgentProfiles, staff.Delete), s.deleteAgentProfile),
			rt("GET", "/api/v1/pause-reasons", AnyPrincipal, s.listPauseReasons),
			rt("POST", "/api/v1/pause-reasons", Section(staff.SectionSettings, staff.Edit), s.createPauseReason),
			rt("DELETE", "/api/v1/pause-reasons/{id}", Section(staff.SectionSettings, staff.Delete), s.deletePauseReason),

			rt("GET", "/api/v1/lists", Section(staff.SectionContacts, staff.View), s.listLists),
			rt("POST", "/api/v1/lists", Section(staff.SectionContacts, staff.Edit), s.createList),
			rt("GET", "/api/v1/lists/{id}", Section(staff.SectionContacts, staff.Read), s.getList),
			rt("PATCH", "/api/v1/lists/{id}", Section(staff.SectionContacts, staff.Edit), s.patchList),
			rt("DELETE", "/api/v1/lists/{id}", Section(staff.SectionContacts, staff.Delete), s.deleteList),
			rt("GET", "/api/v1/lists/{id}/fields", Section(staff.SectionContacts, staff.Read), s.listFieldsOf),
			rt("POST", "/api/v1/lists/{id}/fields", Section(staff.SectionContacts, staff.Edit), s.createListField),
			rt("PATCH", "/api/v1/lists/{id}/fields/{field_id}", Section(staff.SectionContacts, staff.Edit), s.patchListField),
			rt("DELETE", "/api/v1/lists/{id}/fields/{field_id}", Section(staff.SectionContacts, staff.Edit), s.deleteListField),
			rt("GET", "/api/v1/lists/{id}/agents", Section(staff.SectionContacts, staff.Read), s.listAgentsOf),
			rt("GET", "/api/v1/lists/{id}/agent-choices", Section(staff.SectionContacts, staff.Edit), s.listAgentChoices),
			rt("PUT", "/api/v1/lists/{id}/agents/{agent_id}", Section(staff.SectionContacts, staff.Edit), s.putListAgent),
			rt("DELETE", "/api/v1/lists/{id}/agents/{agent_id}", Section(staff.SectionContacts, staff.Edit), s.deleteListAgent),

			// The Contact Manager (contacts_access.go: agents reach it by the
			// lists they were given).
			rt("GET", "/api/v1/contact-lists", AnyPrincipal, s.contactLists),
			rt("GET", "/api/v1/contacts", contactsAccess(staff.View), s.listContacts),
			rt("POST", "/api/v1/contacts", contactsAccess(staff.Edit), s.createContact),
			rt("GET", "/api/v1/contacts/export.csv", contactsAccess(staff.View), s.exportContacts),
			rt("GET", "/api/v1/contacts/{id}", contactsAccess(staff.Read), s.getContact),
			rt("PATCH", "/api/v1/contacts/{id}", contactsAccess(staff.Edit), s.patchContact),
			rt("DELETE", "/api/v1/contacts/{id}", Section(staff.SectionContacts, staff.Delete), s.deleteContact),
			rt("GET", "/api/v1/contacts/{id}/merge-candidates", contactsAccess(staff.Edit), s.mergeCandidates),
			rt("POST", "/api/v1/contacts/{id}/merge", contactsAccess(staff.Edit), s.mergeContact),
			rt("POST", "/api/v1/contacts/{id}/copy", contactsAccess(staff.Edit), s.copyContact),
			rt("GET", "/api/v1/contacts/{id}/journey", contactsAccess(staff.Read), s.contactJourney),
			rt("GET", "/api/v1/me/contacts", AgentOnly, s.myContacts),
			upload(rt("POST", "/api/v1/contact-imports", Section(staff.SectionContacts, staff.Edit), s.createImport), maxImportBytes),
			rt("GET", "/api/v1/contact-imports/{id}", Section(staff.SectionContacts, staff.Edit), s.getImport),
			rt("GET", "/api/v1/contact-imports/{id}/rejected.csv", Section(staff.SectionContacts, staff.Edit), s.importRejects),

			rt("GET", "/api/v1/tags", AnyPrincipal, s.listTags),
			rt("POST", "/api/v1/tags", settingsEdit, s.createTag),
			rt("GET", "/api/v1/tags/{id}", AnyPrincipal, s.getTag),
			rt("PATCH", "/api/v1/tags/{id}", settingsEdit, s.patchTag),
			rt("DELETE", "/api/v1/tags/{id}", settingsDelete, s.deleteTag),
			rt("GET", "/api/v1/dispositions", AnyPrincipal, s.listDispositions),
			rt("POST", "/api/v1/dispositions", settingsEdit, s.createDisposition),
			rt("GET", "/api/v1/dispositions/{id}", AnyPrincipal, s.getDisposition),
			rt("PATCH", "/api/v1/dispositions/{id}", settingsEdit, s.patchDisposition),
			rt("DELETE", "/api/v1/dispositions/{id}", settingsDelete, s.deleteDisposition),
			rt("GET", "/api/v1/canned-answers", AnyPrincipal, s.listCannedAnswers),
			rt("POST", "/api/v1/canned-answers", settingsEdit, s.createCannedAnswer),
			rt("GET", "/api/v1/canned-answers/{id}", AnyPrincipal, s.getCannedAnswer),
			rt("PATCH", "/api/v1/canned-answers/{id}", settingsEdit, s.patchCannedAnswer),
			rt("DELETE", "/api/v1/canned-answers/{id}", settingsDelete, s.deleteCannedAnswer),
			rt("GET", "/api/v1/sub-statuses", AnyPrincipal, s.listSubStatuses),
			rt("POST", "/api/v1/sub-statuses", settingsEdit, s.createSubStatus),
			rt("GET", "/api/v1/sub-statuses/{id}", AnyPrincipal, s.getSubStatus),
			rt("PATCH", "/api/v1/sub-statuses/{id}", settingsEdit, s.patchSubStatus),
			rt("DELETE", "/api/v1/sub-statuses/{id}", settingsDelete, s.deleteSubStatus),

			rt("GET", "/api/v1/accounts", AnyPrincipal, s.listAccounts),
			rt("GET", "/api/v1/websites", channelsView, s.listWebsites),
			rt("POST", "/api/v1/websites", channelsEdit, s.createWebsite),
			rt("GET", "/api/v1/websites/{id}", channelsRead, s.getWebsite),
			rt("PATCH", "/api/v1/websites/{id}", channelsEdit, s.patchWebsite),
			rt("DELETE", "/api/v1/websites/{id}", channelsDelete, s.deleteWebsite),
			rt("POST", "/api/v1/websites/{id}/rotate-key", channelsEdit, s.rotateWebsiteKey),
			rt("GET", "/api/v1/websites/{id}/snippet", channelsRead, s.websiteSnippet),
			rt("GET", "/api/v1/whatsapp-accounts", channelsView, s.listWhatsAppAccounts),
			rt("POST", "/api/v1/whatsapp-accounts", channelsEdit, s.createWhatsAppAccount),
			rt("GET", "/api/v1/whatsapp-accounts/{id}", channelsRead, s.getWhatsAppAccount),
			rt("PATCH", "/api/v1/whatsapp-accounts/{id}", channelsEdit, s.patchWhatsAppAccount),
			rt("DELETE", "/api/v1/whatsapp-accounts/{id}", channelsDelete, s.deleteWhatsAppAccount),
			// WhatsApp templates and outbound (whatsapp_outbound.go).
			rt("GET", "/api/v1/whatsapp-accounts/{id}/templates", channelsRead, s.listWhatsAppTemplates),
			rt("POST", "/api/v1/whatsapp-accounts/{id}/templates", channelsEdit, s.createWhatsAppTemplate),
			rt("POST", "/api/v1/whatsapp-accounts/{id}/templates/sync", channelsEdit, s.syncWhatsAppTemplates),
			rt("PATCH", "/api/v1/whatsapp-accounts/{id}/templates/{template_id}", channelsEdit, s.patchWhatsAppTemplate),
			rt("DELETE", "/api/v1/whatsapp-accounts/{id}/templates/{template_id}", channelsDelete, s.deleteWhatsAppTemplate),
			rt("POST", "/api/v1/whatsapp/outbound/check", AgentOnly, s.checkWhatsAppOutbound),
			rt("POST", "/api/v1/whatsapp/outbound", AgentOnly, s.startWhatsAppOutbound), // whatsapp_start.go
			rt("GET", "/api/v1/me/whatsapp-accounts", AgentOnly, s.myWhatsAppAccounts),
			// A signed, expiring link to a file, for a provider to fetch.
			rt("GET", "/api/v1/media/{id}", Public, s.publicMedia),

			// The WhatsApp providers' webhooks (whatsapp_webhook.go): signed,
			// not signed in.
			rt("GET", "/api/v1/webhooks/whatsapp/{key}", Webhook, s.whatsappHandshake),
			rt("POST", "/api/v1/webhooks/whatsapp/{key}", Webhook, s.whatsappWebhook),

			// The customer chat widget (docs/widget-protocol.md): public, from
			// the websites it is embedded in, each checking its own origins.
			rt("GET", "/api/v1/widget/config", Widget, s.widgetConfig),
			rt("OPTIONS", "/api/v1/widget/config", Widget, s.widgetPreflight),
			rt("POST", "/api/v1/widget/chats", Widget, s.widgetStartChat),
			rt("OPTIONS", "/api/v1/widget/chats", Widget, s.widgetPreflight),
			rt("GET", "/api/v1/widget/ws", Widget, s.widgetSocket),
			upload(rt("POST", "/api/v1/widget/files", Widget, s.widgetUpload), maxUploadBody),
			rt("OPTIONS", "/api/v1/widget/files", Widget, s.widgetPreflight),
			rt("GET", "/api/v1/widget/files/{id}", Widget, s.widgetDownload),
			rt("OPTIONS", "/api/v1/widget/files/{id}", Widget, s.widgetPreflight),

			rt("GET", "/api/v1/ws", AnyPrincipal, s.realtimeSocket),
			rt("GET", "/api/v1/me/agent", AgentOnly, s.myAgent),
			rt("GET", "/api/v1/me/desk", AgentOnly, s.myDesk),
			rt("POST", "/api/v1/me/login", AgentOnly, s.myLogin),
			rt("POST", "/api/v1/me/profile", AgentOnly, s.myProfile),
			rt("POST", "/api/v1/me/logout", AgentOnly, s.myLogout),
			rt("POST", "/api/v1/me/pause", AgentOnly, s.myPause),
			rt("POST", "/api/v1/me/resume", AgentOnly, s.myResume),
			rt("GET", "/api/v1/me/transfer-targets", AgentOnly, s.transferTargets),
			rt("GET", "/api/v1/me/interactions", AgentOnly, s.myInteractions),

			rt("POST", "/api/v1/agents/{id}/pause", realtimeEdit, s.pauseAgent),
			rt("POST", "/api/v1/agents/{id}/resume", realtimeEdit, s.resumeAgent),
			rt("POST", "/api/v1/agents/{id}/logout", realtimeEdit, s.logoutAgent),
			rt("GET", "/api/v1/agents/{id}/report-member", Section(staff.SectionReports, staff.Read), s.memberReport),
			rt("GET", "/api/v1/realtime/agents", realtimeView, s.realtimeAgents),
			rt("GET", "/api/v1/realtime/queues", realtimeView, s.realtimeQueues),

			rt("GET", "/api/v1/interactions", AnyPrincipal, s.listInteractions),
			rt("POST", "/api/v1/interactions", AdminOnly, s.createInteraction),
			rt("GET", "/api/v1/interactions/{id}", AnyPrincipal, s.getInteraction),
			rt("POST", "/api/v1/interactions/{id}/accept", AgentOnly, s.acceptInteraction),
			rt("POST", "/api/v1/interactions/{id}/reject", AgentOnly, s.rejectInteraction),
			rt("POST", "/api/v1/interactions/{id}/close", AgentOnly, s.closeInteraction),
			rt("POST", "/api/v1/interactions/{id}/disposition", AgentOnly, s.disposeInteraction),
			rt("POST", "/api/v1/interactions/{id}/transfer", AgentOnly, s.transferInteraction),
			rt("GET", "/api/v1/interactions/{id}/messages", AnyPrincipal, s.listMessages),
			rt("POST", "/api/v1/interactions/{id}/messages", AgentOnly, s.sendMessage),
			rt("GET", "/api/v1/interactions/{id}/templates", AgentOnly, s.interactionTemplates),
			rt("POST", "/api/v1/interactions/{id}/template", AgentOnly, s.sendTemplate),
			upload(rt("POST", "/api/v1/interactions/{id}/attachments", AgentOnly, s.sendAttachment), maxUploadBody),
			rt("GET", "/api/v1/attachments/{id}", AnyPrincipal, s.downloadAttachment),
			rt("POST", "/api/v1/interactions/{id}/inbound", AdminOnly, s.receiveMessage),
			rt("GET", "/api/v1/interactions/{id}/notes", AnyPrincipal, s.listNotes),
			rt("POST", "/api/v1/interactions/{id}/notes", AnyPrincipal, s.addNote),
			rt("GET", "/api/v1/interactions/{id}/people", AnyPrincipal, s.interactionPeople),
			rt("PUT", "/api/v1/interactions/{id}/tags", AgentOnly, s.putInteractionTags),
			rt("PUT", "/api/v1/interactions/{id}/sub-status", AgentOnly, s.putSubStatus),
			rt("PUT", "/api/v1/interactions/{id}/contact", AnyPrincipal, s.putInteractionContact),
			rt("POST", "/api/v1/interactions/{id}/read", AnyPrincipal, s.readInteraction),
			rt("POST", "/api/v1/interactions/{id}/watch", AnyPrincipal, s.watchInteraction),
			rt("DELETE", "/api/v1/interactions/{id}/watch", AnyPrincipal, s.unwatchInteraction),
			rt("GET", "/api/v1/interactions/{id}/transcript.pdf", AnyPrincipal, s.interactionTranscript),
			rt("POST", "/api/v1/me/client-logs", AgentOnly, s.postClientLogs),
		}
	})
	return s.routes
}
