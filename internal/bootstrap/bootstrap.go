// Package bootstrap prepares a new site: the first admin, and on request a
// small demo contact center so a new user sees a working system at once.
package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"

	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// EnsureAdmin creates the user "admin" when no admin exists. With no password
// given it makes a random one, logs it once, and (with the security suite on)
// requires a change at the first sign-in.
func EnsureAdmin(ctx context.Context, db *store.DB, password string, log *slog.Logger) error {
	n, err := db.CountAdmins(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if n > 0 {
		return nil
	}
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	} else if rule, args := auth.CheckPassword(password, true); rule != "" {
		return fmt.Errorf("bootstrap: SWITCHBOARD_ADMIN_PASSWORD breaks the password policy: %s",
			i18n.T("en", rule, args...))
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := db.CreatePrincipal(ctx, auth.Principal{Kind: auth.KindAdmin, Username: "admin",
		FullName: "Administrator", PasswordHash: hash, MustChangePassword: generated}, 0); err != nil {
		return fmt.Errorf("bootstrap: create admin: %w", err)
	}
	if generated {
		// Printed once, on purpose: it is the only way to the first sign-in.
		log.Warn("created the first admin; sign in and choose a new password", "username", "admin", "password", password)
	} else {
		log.Info("created the first admin with the configured password", "username", "admin")
	}
	return nil
}

// DemoAgents are the demo site's agents; their password is DemoPassword.
var DemoAgents = []auth.Principal{
	{Kind: auth.KindAgent, Username: "mario.rossi", FullName: "Mario Rossi", Email: "mario.rossi@demo.switchboard.local"},
	{Kind: auth.KindAgent, Username: "giulia.bianchi", FullName: "Giulia Bianchi", Email: "giulia.bianchi@demo.switchboard.local"},
	{Kind: auth.KindAgent, Username: "luca.verdi", FullName: "Luca Verdi", Email: "luca.verdi@demo.switchboard.local"},
	{Kind: auth.KindUser, Username: "sara.supervisor", FullName: "Sara Neri", Email: "sara.neri@demo.switchboard.local"},
}

// DemoWebsite is the demo's chat website, embedded in the page at /demo/shop.
const DemoWebsite = "Demo shop"

// DemoPassword is the password of every demo account.
const DemoPassword = "Demo-Pass1"

// SeedDemo adds the demo site once: it does nothing when its first agent
// already exists, so restarting with --demo keeps what users changed.
func SeedDemo(ctx context.Context, db *store.DB, baseURL string, log *slog.Logger) error {
	if _, err := db.PrincipalByUsername(ctx, DemoAgents[0].Username); err == nil {
		return nil
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	chat, err := db.CreateQueue(ctx, &staff.Queue{Name: "Chat support", Channel: staff.Chat}, 0)
	if err != nil {
		return fmt.Errorf("bootstrap: demo queue: %w", err)
	}
	whatsapp, err := db.CreateQueue(ctx, &staff.Queue{Name: "WhatsApp sales", Channel: staff.WhatsApp}, 0)
	if err != nil {
		return fmt.Errorf("bootstrap: demo queue: %w", err)
	}
	team, err := db.CreateTeam(ctx, "Customer care", "The demo agents", 0)
	if err != nil {
		return fmt.Errorf("bootstrap: demo team: %w", err)
	}
	profile, err := db.SaveUserProfile(ctx, &staff.UserProfile{Name: "Supervisors",
		Description: "Manage the agents of the demo queues",
		Rights: staff.Rights{staff.SectionStaff: staff.AllRights, staff.SectionQueues: {staff.View, staff.Read},
			staff.SectionRealtime: {staff.View, staff.Read}, staff.SectionReports: {staff.View, staff.Read}},
		QueueIDs: []int64{chat.ID, whatsapp.ID}}, 0)
	if err != nil {
		return fmt.Errorf("bootstrap: demo profile: %w", err)
	}
	var agentIDs []int64
	for _, p := range DemoAgents {
		p.PasswordHash = hash
		if p.Kind == auth.KindUser {
			if _, err := db.CreateUser(ctx, p, &profile.ID, 0); err != nil {
				return fmt.Errorf("bootstrap: demo %s: %w", p.Username, err)
			}
			continue
		}
		a := &staff.Agent{Principal: p}
		staff.DefaultAgentSettings(a)
		created, err := db.CreateAgent(ctx, a, 0)
		if err != nil {
			return fmt.Errorf("bootstrap: demo %s: %w", p.Username, err)
		}
		agentIDs = append(agentIDs, created.ID)
	}
	if err := db.AddTeamAgents(ctx, team.ID, agentIDs, 0); err != nil {
		return err
	}
	if err := db.SetTeamQueues(ctx, team.ID, []int64{chat.ID, whatsapp.ID}, 0); err != nil {
		return err
	}
	if err := seedDemoCatalogs(ctx, db); err != nil {
		return err
	}
	if err := seedDemoContacts(ctx, db, agentIDs); err != nil {
		return err
	}
	site := conversation.NewWebsite()
	site.Name, site.QueueID = DemoWebsite, &chat.ID
	// The widget works from the demo shop page (on this server) and from
	// pages served on this machine while someone tries the snippet.
	site.AllowedOrigins = []string{"http://127.0.0.1:8080", "http://localhost:8080"}
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		if origin := u.Scheme + "://" + u.Host; !slices.Contains(site.AllowedOrigins, origin) {
			site.AllowedOrigins = append(site.AllowedOrigins, origin)
		}
	}
	if _, err := db.SaveWebsite(ctx, site, 0); err != nil {
		return fmt.Errorf("bootstrap: demo website: %w", err)
	}
	log.Info("seeded the demo site", "agents", "mario.rossi, giulia.bianchi, luca.verdi", "supervisor", "sara.supervisor",
		"password", DemoPassword, "team", team.Name, "queues", "Chat support, WhatsApp sales")
	return nil
}

// seedDemoCatalogs adds the tags, dispositions and canned answers agents use
// when they handle the demo's interactions.
func seedDemoCatalogs(ctx context.Context, db *store.DB) error {
	for _, t := range []conversation.Tag{{Name: "VIP", Colour: "#d97706", Description: "Customers with a premium contract"},
		{Name: "Complaint", Colour: "#dc2626"}, {Name: "Sales lead", Colour: "#16a34a"}} {
		if _, err := db.SaveTag(ctx, &t, 0); err != nil {
			return fmt.Errorf("bootstrap: demo tag: %w", err)
		}
	}
	for _, name := range []string{"Solved", "Call back", "Not interested"} {
		if _, err := db.SaveDisposition(ctx, &conversation.Disposition{Name: name}, 0); err != nil {
			return fmt.Errorf("bootstrap: demo disposition: %w", err)
		}
	}
	for _, c := range []conversation.CannedAnswer{
		{Title: "Greeting", Body: "Hello, thanks for contacting us! How can I help you today?"},
		{Title: "Closing", Body: "Is there anything else I can do for you? Have a nice day!"},
		{Title: "Refund policy", Body: "Refunds are issued within 14 days of the request, to the original payment method."},
	} {
		if _, err := db.SaveCannedAnswer(ctx, &c, 0); err != nil {
			return fmt.Errorf("bootstrap: demo canned answer: %w", err)
		}
	}
	return nil
}
