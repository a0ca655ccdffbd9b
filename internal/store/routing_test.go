package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/auth"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/eventlog"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
)

func mustAgent(t *testing.T, db *store.DB, username string) *staff.Agent {
	t.Helper()
	a := &staff.Agent{Principal: auth.Principal{Kind: auth.KindAgent, Username: username, FullName: username}}
	staff.DefaultAgentSettings(a)
	out, err := db.CreateAgent(context.Background(), a, 0)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustQueue(t *testing.T, db *store.DB, name string, ch staff.Channel) *staff.Queue {
	t.Helper()
	q, err := db.CreateQueue(context.Background(), &staff.Queue{Name: name, Channel: ch}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestActiveQueuesArePersonalUnionProfileWithLowestPenalty(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		a := mustAgent(t, db, "mario")
		support := mustQueue(t, db, "Support", staff.Chat)
		talk := mustQueue(t, db, "Talk now", staff.Voice)
		mail := mustQueue(t, db, "Assistance", staff.Email)
		teamQ := mustQueue(t, db, "Team queue", staff.SMS)
		if err := db.SetQueueMember(ctx, support.ID, a.ID, true, 0, 0); err != nil {
			t.Fatal(err)
		}
		team, _ := db.CreateTeam(ctx, "T", "", 0)
		db.AddTeamAgents(ctx, team.ID, []int64{a.ID}, 0)
		db.SetTeamQueues(ctx, team.ID, []int64{teamQ.ID}, 0)
		p, err := db.SaveAgentProfile(ctx, &staff.AgentProfile{Name: "Profile 1", Enabled: true, AgentIDs: []int64{a.ID},
			Queues: []staff.ProfileQueue{{QueueID: talk.ID, Penalty: 3}, {QueueID: mail.ID}}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		personal, _ := db.ActiveQueues(ctx, a.ID, nil)
		if len(personal) != 2 || personal[support.ID] != 0 {
			t.Fatalf("personal %v", personal)
		}
		withProfile, _ := db.ActiveQueues(ctx, a.ID, &p.ID)
		if len(withProfile) != 4 || withProfile[talk.ID] != 3 {
			t.Fatalf("with profile %v", withProfile)
		}
		q, _ := db.Queue(ctx, talk.ID)
		if len(q.Members) != 1 || q.Members[0].Via != "profile" || q.Members[0].Penalty != 3 {
			t.Fatalf("members %+v", q.Members)
		}
	})
}

func TestLoginProfileSwitchAndLogoutWriteReportMemberRows(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, clk *clock.Fake) {
		ctx := context.Background()
		a := mustAgent(t, db, "mario")
		p, _ := db.SaveAgentProfile(ctx, &staff.AgentProfile{Name: "Morning", Enabled: true, AgentIDs: []int64{a.ID}}, 0)
		if _, err := db.Login(ctx, a.ID, &p.ID, false); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		if _, err := db.ChangeProfile(ctx, a.ID, nil); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		if err := db.Logout(ctx, a.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		rows, _ := db.ReportMember(ctx, a.ID)
		if len(rows) != 2 {
			t.Fatalf("rows %+v", rows)
		}
		first, second := rows[0], rows[1]
		if first.Data3 == nil || *first.Data4 != "Morning" || first.ExitAt == nil || !first.ExitAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("first row %+v", first)
		}
		if second.Data3 != nil || second.Data4 != nil || second.ExitAt == nil || !second.ExitAt.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("personal row %+v", second)
		}
		if err := db.Logout(ctx, a.ID, a.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second logout: %v", err)
		}
	})
}

func TestDisabledOrForeignProfileCannotBeChosenAndInUseCannotBeDeleted(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		a := mustAgent(t, db, "mario")
		b := mustAgent(t, db, "giulia")
		p, _ := db.SaveAgentProfile(ctx, &staff.AgentProfile{Name: "Evening", Enabled: true, AgentIDs: []int64{a.ID}}, 0)
		if _, err := db.Login(ctx, b.ID, &p.ID, false); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("foreign profile: %v", err)
		}
		if _, err := db.Login(ctx, a.ID, &p.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteAgentProfile(ctx, p.ID, 0); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("delete in use: %v", err)
		}
		p.Enabled = false
		if _, err := db.SaveAgentProfile(ctx, p, 0); err != nil {
			t.Fatal(err)
		}
		// He stays on it until he logs out, and cannot pick it again.
		pr, _ := db.PresenceOf(ctx, a.ID)
		if pr.ProfileID == nil || *pr.ProfileID != p.ID {
			t.Fatalf("presence %+v", pr)
		}
		if list, _ := db.AgentProfilesOf(ctx, a.ID); len(list) != 0 {
			t.Fatalf("disabled profile offered: %v", list)
		}
		db.Logout(ctx, a.ID, a.ID)
		if _, err := db.Login(ctx, a.ID, &p.ID, false); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("disabled profile chosen: %v", err)
		}
		if err := db.DeleteAgentProfile(ctx, p.ID, 0); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPauseWithReasonAndResume(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		ctx := context.Background()
		a := mustAgent(t, db, "mario")
		lunch, err := db.CreatePauseReason(ctx, "Lunch", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePauseReason(ctx, "lunch", "", 0); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("duplicate reason: %v", err)
		}
		if _, err := db.SetPause(ctx, a.ID, true, nil, a.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("pause while logged out: %v", err)
		}
		db.Login(ctx, a.ID, nil, true)
		pr, _ := db.PresenceOf(ctx, a.ID)
		if !pr.Paused || pr.PauseReasonID != nil {
			t.Fatalf("login in pause: %+v", pr)
		}
		pr, _ = db.SetPause(ctx, a.ID, true, &lunch.ID, a.ID)
		if pr.PauseReason != "Lunch" {
			t.Fatalf("reason %+v", pr)
		}
		pr, _ = db.SetPause(ctx, a.ID, false, nil, a.ID)
		if pr.Paused || pr.PausedAt != nil {
			t.Fatalf("resume %+v", pr)
		}
		evs, _ := db.Events(ctx, eventlog.Filter{SubjectType: "agent", SubjectID: a.ID})
		if len(evs) != 3 || evs[2].Type != eventlog.AgentResumed {
			t.Fatalf("events %+v", evs)
		}
	})
}

func TestCommittedEventsReachTheListenerInOrder(t *testing.T) {
	suite(t, func(t *testing.T, db *store.DB, _ *clock.Fake) {
		var got []int64
		db.OnCommit(func(evs []eventlog.Event) {
			for _, e := range evs {
				got = append(got, e.ID)
			}
		})
		ctx := context.Background()
		mustAgent(t, db, "a")
		mustAgent(t, db, "b")
		// A failed transaction publishes nothing.
		db.CreatePrincipal(ctx, auth.Principal{Kind: auth.KindAgent, Username: "A"}, 0)
		if len(got) != 2 || got[0] >= got[1] {
			t.Fatalf("published %v", got)
		}
	})
}
