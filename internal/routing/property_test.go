package routing

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// TestRoutingProperties drives the state with random sequences of every
// command, restarts included, and after every step checks the properties of
// DESIGN.md §5 against a model written here, independently of the package's
// own helpers:
//
//	(a) an interaction has at most one owner, and an owned one is not waiting;
//	(b) routing never takes an agent past his capacity (offers included);
//	(c) nothing waits while an eligible agent is free;
//	(d) every offer ends: none outlives its expiry, none is left at the end;
//
// and that the effects tell exactly what changed: replaying them gives the
// state's offers and owners. A failed command must change nothing. After a
// restart (snapshot through JSON into a fresh state), the state from before
// keeps receiving every command and must decide exactly as the restored one;
// half the restarts go through the command log instead (the last snapshot
// and the commands logged since, replayed at their times).
//
// ROUTING_SEED=n replays one sequence; ROUTING_SEQUENCES=n runs more or
// fewer (-short and -race run 300).
func TestRoutingProperties(t *testing.T) {
	sequences, steps := 2000, 200
	if testing.Short() || raceEnabled {
		sequences = 300
	}
	if v := os.Getenv("ROUTING_SEQUENCES"); v != "" {
		sequences, _ = strconv.Atoi(v)
	}
	first := uint64(1)
	if v := os.Getenv("ROUTING_SEED"); v != "" {
		first, _ = strconv.ParseUint(v, 10, 64)
		sequences = 1
	}
	total := map[string]int{}
	for seed := first; seed < first+uint64(sequences); seed++ {
		m := newSim(t, seed)
		m.run(steps)
		for k, v := range m.counts {
			total[k] += v
		}
	}
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(total)) {
		lines = append(lines, fmt.Sprintf("%s=%d", k, total[k]))
	}
	t.Logf("%d sequences × %d steps (+ drain); %s", sequences, steps, strings.Join(lines, " "))
}

const (
	simQueues = 4
	simAgents = 6
)

type offerKey struct{ interaction, agent int64 }

type sim struct {
	t     *testing.T
	seed  uint64
	r     *rand.Rand
	clk   *clock.Fake
	s     *State
	step  int
	trail []string

	queues          map[int64]Queue // every queue the sequence made, removed or not
	strategyChanged map[int64]bool  // a single-offer queue that was ring-all may ring several
	next            int64           // next interaction ID

	// What the effects said: replayed, they must give the state's offers
	// and owners.
	offers map[offerKey]bool
	owners map[int64]int64 // open interaction → owner, 0 while waiting

	// shadow is the state from before the last restart, still driven with
	// every command: the restored one must decide exactly as it does.
	shadow *State

	// The owner's log: the snapshot last taken (JSON) and every command
	// applied since (JSON), as the engine persists them. A restart goes
	// either through a fresh snapshot or through this log.
	logBase string
	log     []string

	counts map[string]int
}

func newSim(t *testing.T, seed uint64) *sim {
	clk := clock.NewFake(t0)
	m := &sim{t: t, seed: seed, r: rand.New(rand.NewPCG(seed, 0x5eed)), clk: clk,
		s: New(clk, rand.NewPCG(seed, 1)), queues: map[int64]Queue{}, strategyChanged: map[int64]bool{},
		next: 1, offers: map[offerKey]bool{}, owners: map[int64]int64{}, counts: map[string]int{}}
	m.logBase = mustJSON(t, m.s.Snapshot())
	channels := []Channel{Chat, WhatsApp}
	for id := int64(1); id <= simQueues; id++ {
		q := Queue{ID: id, Channel: channels[m.r.IntN(2)], Strategy: Strategies[m.r.IntN(len(Strategies))],
			AgentTimeout: m.pickDuration(10, 20, 30, 60), Priority: m.r.IntN(3)}
		m.queues[id] = q
		m.must(UpsertQueue{q})
	}
	for id := int64(1); id <= simQueues; id++ {
		if m.r.IntN(2) == 0 {
			continue
		}
		q := m.queues[id]
		q.MaxWait = time.Duration(30+m.r.IntN(200)) * time.Second
		q.MaxWaitAction = []MaxWaitAction{KeepWaiting, MoveToQueue, CloseUnmanaged}[m.r.IntN(3)]
		if q.MaxWaitAction == MoveToQueue {
			q.MaxWaitAction = CloseUnmanaged
			for _, to := range m.r.Perm(simQueues) {
				if other := m.queues[int64(to+1)]; other.ID != id && other.Channel == q.Channel {
					q.MaxWaitAction, q.MoveToQueueID = MoveToQueue, other.ID
					break
				}
			}
		}
		m.queues[id] = q
		m.must(UpsertQueue{q})
	}
	for agent := int64(1); agent <= simAgents; agent++ {
		if m.r.IntN(3) > 0 {
			m.must(Login{AgentID: agent, AgentConfig: m.randomConfig()})
		}
	}
	return m
}

func (m *sim) pickDuration(seconds ...int) time.Duration {
	return time.Duration(seconds[m.r.IntN(len(seconds))]) * time.Second
}

func (m *sim) randomConfig() AgentConfig {
	c := AgentConfig{ActiveQueues: map[int64]int{}, Capacity: map[Channel]int{}, AutoAnswer: map[Channel]time.Duration{}}
	for q := int64(1); q <= simQueues; q++ {
		if m.r.IntN(3) > 0 {
			c.ActiveQueues[q] = m.r.IntN(3)
		}
	}
	for _, ch := range []Channel{Chat, WhatsApp} {
		c.Capacity[ch] = m.r.IntN(4) // 0: unlimited
		if m.r.IntN(4) == 0 {
			c.AutoAnswer[ch] = m.pickDuration(0, 5, 15)
		}
	}
	return c
}

func (m *sim) fail(format string, args ...any) {
	m.t.Helper()
	trail := m.trail[max(0, len(m.trail)-25):]
	m.t.Fatalf("seed %d (rerun with ROUTING_SEED=%d), step %d: %s\nlast steps:\n%s\nstate: %s",
		m.seed, m.seed, m.step, fmt.Sprintf(format, args...), strings.Join(trail, "\n"), mustJSON(m.t, m.s.Snapshot()))
}

func (m *sim) run(steps int) {
	actions := []struct {
		weight int
		do     func()
	}{
		{12, m.enqueue}, {12, m.accept}, {6, m.reject}, {16, m.tick}, {7, m.close}, {5, m.transfer},
		{3, m.pause}, {3, m.resume}, {2, m.away}, {2, m.back}, {3, m.login}, {3, m.logout},
		{3, m.updateAgent}, {2, m.addToQueue}, {2, m.removeFromQueue},
		{2, m.restart}, {1, m.upsertQueue}, {1, m.removeQueue},
	}
	sum := 0
	for _, a := range actions {
		sum += a.weight
	}
	for m.step = 1; m.step <= steps; m.step++ {
		n := m.r.IntN(sum)
		for _, a := range actions {
			if n -= a.weight; n < 0 {
				a.do()
				break
			}
		}
	}
	m.drain()
}

// drain lets only time pass, deadline after deadline, then pauses everyone
// and lets every transfer run out: no offer may be left.
func (m *sim) drain() {
	for range 100 {
		at, ok := m.s.NextDeadline()
		if !ok {
			break
		}
		m.clk.Set(at)
		m.apply(Tick{}, nil)
		m.step++
	}
	for _, a := range m.s.Snapshot().Agents {
		m.apply(Pause{AgentID: a.ID, Reason: "end"}, nil)
	}
	m.clk.Advance(time.Hour)
	m.apply(Tick{}, nil)
	for _, it := range m.s.Snapshot().Interactions {
		if len(it.Offers) > 0 {
			m.fail("offers left at the end: %+v", it)
		}
	}
	if len(m.offers) > 0 {
		m.fail("offered but never ended, by the effects: %v", m.offers)
	}
	if m.shadow != nil && !reflect.DeepEqual(m.shadow.Snapshot(), m.s.Snapshot()) {
		m.fail("the restored state and the original ended apart: %s", mustJSON(m.t, m.shadow.Snapshot()))
	}
}

// apply runs a command and checks it: want is the error the model expects
// (nil: success), or anyErr when the model does not predict it.
func (m *sim) apply(cmd Command, want error) ([]Effect, error) {
	m.t.Helper()
	before := m.s.Snapshot()
	effects, err := m.s.Apply(cmd)
	after := before // a failed command must not change it, as checked below
	if m.shadow != nil {
		shadowEffects, shadowErr := m.shadow.Apply(cmd)
		if !reflect.DeepEqual(effects, shadowEffects) || fmt.Sprint(err) != fmt.Sprint(shadowErr) {
			m.fail("%T%+v: the restored state decided %v %v, the original %v %v",
				cmd, cmd, describe(effects), err, describe(shadowEffects), shadowErr)
		}
	}
	m.trail = append(m.trail, fmt.Sprintf("%d @%v %T%+v -> %v %v", m.step, m.clk.Now().Sub(t0), cmd, cmd, describe(effects), err))
	m.counts["commands"]++
	switch {
	case want == anyErr:
	case want == nil && err != nil:
		m.fail("unexpected error %v", err)
	case want != nil && !errors.Is(err, want):
		m.fail("got error %v, want %v", err, want)
	}
	if err != nil {
		m.counts["errors"]++
		if effects != nil {
			m.fail("error with effects")
		}
		if !reflect.DeepEqual(before, m.s.Snapshot()) { // snapshots are normalised: equal states, equal values
			m.fail("failed command changed the state; before: %s", mustJSON(m.t, before))
		}
		if !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }) {
			m.fail("error %v is none of the package's", err)
		}
	} else {
		m.log = append(m.log, mustJSON(m.t, LoggedCommand{At: m.clk.Now(), Command: cmd}))
		if e, ok := cmd.(Enqueue); ok {
			m.owners[e.InteractionID] = 0
		}
		after = m.s.Snapshot()
		m.replay(effects, after)
		m.postcondition(cmd, before, after)
	}
	m.check(cmd, before, after)
	return effects, err
}

var anyErr = errors.New("any outcome")

var sentinels = []error{ErrInvalid, ErrUnknownQueue, ErrUnknownInteraction, ErrNotLoggedIn, ErrLoggedIn,
	ErrInteractionExists, ErrNoLiveOffer, ErrNotOwner, ErrTransferPending, ErrUnavailable, ErrQueueInUse, ErrChannelMismatch}

func (m *sim) must(cmd Command) { m.apply(cmd, nil) }

// replay follows the effects, checking each is possible where it comes.
// after is the state once the command is done: configuration changes come
// before dispatch within a command, so it holds the settings each offer was
// made under.
func (m *sim) replay(effects []Effect, after Snapshot) {
	m.t.Helper()
	agents, queues, interactions := index(after)
	take := func(k offerKey, what string) {
		if !m.offers[k] {
			m.fail("%s of interaction %d by agent %d without a live offer", what, k.interaction, k.agent)
		}
		delete(m.offers, k)
	}
	noOffers := func(id int64, what string) {
		for k := range m.offers {
			if k.interaction == id {
				m.fail("%s of interaction %d while agent %d's offer is live", what, id, k.agent)
			}
		}
	}
	owner := func(id int64, want int64, what string) {
		if got, open := m.owners[id]; !open || got != want {
			m.fail("%s of interaction %d: owner %d (open %v), want %d", what, id, got, open, want)
		}
	}
	for _, e := range effects {
		m.counts[e.Kind()]++
		switch e := e.(type) {
		case Offered:
			k := offerKey{e.Interaction, e.Agent}
			if _, open := m.owners[e.Interaction]; !open || m.offers[k] {
				m.fail("offer %v: closed, or offered twice", k)
			}
			m.checkOffer(e, agents, queues[e.Queue], interactions[e.Interaction])
			m.offers[k] = true
		case OfferEnded:
			take(offerKey{e.Interaction, e.Agent}, "end ("+string(e.Reason)+")")
		case Assigned:
			take(offerKey{e.Interaction, e.Agent}, "accept")
			owner(e.Interaction, 0, "accept")
			m.owners[e.Interaction] = e.Agent
		case TransferAccepted:
			take(offerKey{e.Interaction, e.To}, "transfer accept")
			owner(e.Interaction, e.From, "transfer accept")
			m.owners[e.Interaction] = e.To
		case TransferReturned:
			owner(e.Interaction, e.Owner, "transfer return")
			noOffers(e.Interaction, "transfer return")
		case Moved:
			owner(e.Interaction, 0, "move")
			noOffers(e.Interaction, "move")
		case Requeued:
			owner(e.Interaction, e.From, "requeue")
			noOffers(e.Interaction, "requeue")
			m.owners[e.Interaction] = 0
		case ClosedUnmanaged:
			owner(e.Interaction, 0, "close unmanaged")
			noOffers(e.Interaction, "close unmanaged")
			delete(m.owners, e.Interaction)
		case Closed:
			owner(e.Interaction, e.Owner, "close")
			noOffers(e.Interaction, "close")
			delete(m.owners, e.Interaction)
		default:
			m.fail("unknown effect %T", e)
		}
	}
}

func index(snap Snapshot) (map[int64]Agent, map[int64]Queue, map[int64]Interaction) {
	agents, queues, interactions := map[int64]Agent{}, map[int64]Queue{}, map[int64]Interaction{}
	for _, a := range snap.Agents {
		agents[a.ID] = a
	}
	for _, q := range snap.Queues {
		queues[q.ID] = q
	}
	for _, it := range snap.Interactions {
		interactions[it.ID] = it
	}
	return agents, queues, interactions
}

// checkOffer checks an offer as it is made: its expiry, its auto-answer,
// and, when it rings all, that it goes to no worse a penalty tier than the
// agents already ringing.
func (m *sim) checkOffer(e Offered, agents map[int64]Agent, q Queue, it Interaction) {
	m.t.Helper()
	now := m.clk.Now()
	a := agents[e.Agent]
	switch {
	case a.ID == 0 || q.ID == 0 || it.ID == 0:
		m.fail("offer %+v: agent, queue or interaction gone", e)
	case !e.ExpiresAt.After(now):
		m.fail("offer %+v expires at once", e)
	case !e.Transfer && !e.ExpiresAt.Equal(now.Add(q.AgentTimeout)):
		m.fail("offer %+v does not last queue %d's agent timeout %v", e, q.ID, q.AgentTimeout)
	}
	delay, auto := a.AutoAnswer[it.Channel]
	if auto = auto && !now.Add(delay).After(e.ExpiresAt); auto != !e.AutoAcceptAt.IsZero() || (auto && !e.AutoAcceptAt.Equal(now.Add(delay))) {
		m.fail("offer %+v: agent %d auto-answers %v after %v", e, a.ID, auto, delay)
	}
	ringAll := !e.Transfer && q.Strategy == RingAll
	if e.Transfer && it.Transfer != nil && it.Transfer.ToQueue == q.ID {
		ringAll = true
	}
	if !ringAll {
		return
	}
	for k := range m.offers {
		if holder := agents[k.agent].ActiveQueues[q.ID]; k.interaction == e.Interaction && a.ActiveQueues[q.ID] > holder {
			m.fail("offer %+v at penalty %d while agent %d rings at %d", e, a.ActiveQueues[q.ID], k.agent, holder)
		}
	}
}

// postcondition checks what a successful command says it does.
func (m *sim) postcondition(cmd Command, before, after Snapshot) {
	m.t.Helper()
	agents, _, interactions := index(after)
	a, in := agents[agentOf(cmd)]
	switch c := cmd.(type) {
	case Login:
		if !in || a.Paused != c.Paused || !sameConfig(a.AgentConfig, c.AgentConfig) {
			m.fail("after login: %+v", a)
		}
	case UpdateAgent:
		if !sameConfig(a.AgentConfig, c.AgentConfig) {
			m.fail("after update: %+v", a)
		}
	case Pause:
		if !a.Paused || a.PauseReason != c.Reason {
			m.fail("after pause: %+v", a)
		}
	case Resume:
		if a.Paused {
			m.fail("after resume: %+v", a)
		}
	case Away:
		if !a.Away {
			m.fail("after away: %+v", a)
		}
	case Back:
		if a.Away {
			m.fail("after back: %+v", a)
		}
	case Logout:
		if in {
			m.fail("after logout: %+v", a)
		}
		for _, it := range before.Interactions {
			owner := interactions[it.ID].Owner
			if it.Owner == c.AgentID && ((c.Requeue && owner == c.AgentID) || (!c.Requeue && owner != c.AgentID)) {
				m.fail("after logout (requeue %v): interaction %d owned by %d", c.Requeue, it.ID, owner)
			}
		}
	case Enqueue:
		if _, ok := interactions[c.InteractionID]; !ok {
			m.fail("after enqueue: interaction %d missing", c.InteractionID)
		}
	case Close:
		if _, ok := interactions[c.InteractionID]; ok {
			m.fail("after close: interaction %d still there", c.InteractionID)
		}
	case Transfer:
		it := interactions[c.InteractionID]
		pending := it.Transfer != nil && it.Owner == c.By && it.Transfer.ToAgent == c.ToAgent && it.Transfer.ToQueue == c.ToQueue
		if !pending && (it.Transfer != nil || it.Owner == c.By) {
			m.fail("after transfer: %+v", it)
		}
	}
}

func agentOf(cmd Command) int64 {
	switch c := cmd.(type) {
	case Login:
		return c.AgentID
	case UpdateAgent:
		return c.AgentID
	case Pause:
		return c.AgentID
	case Resume:
		return c.AgentID
	case Away:
		return c.AgentID
	case Back:
		return c.AgentID
	case Logout:
		return c.AgentID
	}
	return 0
}

func sameConfig(a, b AgentConfig) bool {
	return maps.Equal(a.ActiveQueues, b.ActiveQueues) && maps.Equal(a.Capacity, b.Capacity) && maps.Equal(a.AutoAnswer, b.AutoAnswer)
}

// loads counts, from a snapshot, what each agent holds per channel.
func loads(snap Snapshot) map[int64]map[Channel]Load {
	out := map[int64]map[Channel]Load{}
	add := func(agent int64, ch Channel, owned, offered int) {
		if out[agent] == nil {
			out[agent] = map[Channel]Load{}
		}
		l := out[agent][ch]
		l.Owned += owned
		l.Offered += offered
		out[agent][ch] = l
	}
	for _, it := range snap.Interactions {
		if it.Owner != 0 {
			add(it.Owner, it.Channel, 1, 0)
		}
		for agent := range it.Offers {
			add(agent, it.Channel, 0, 1)
		}
	}
	return out
}

// excess is how far an agent is over his capacity on a channel.
func excess(a Agent, l Load, ch Channel) int {
	if c := a.Capacity[ch]; c > 0 {
		return max(0, l.Owned+l.Offered-c)
	}
	return 0
}

type eligibleAgent struct {
	id      int64
	penalty int
}

// eligibleFor is the model's own reading of rule 2.
func eligibleFor(snap Snapshot, load map[int64]map[Channel]Load, now time.Time, it Interaction, queueID int64, skip func(int64) bool) []eligibleAgent {
	var out []eligibleAgent
	for _, a := range snap.Agents {
		penalty, active := a.ActiveQueues[queueID]
		l := load[a.ID][it.Channel]
		full := a.Capacity[it.Channel] > 0 && l.Owned+l.Offered >= a.Capacity[it.Channel]
		_, holds := it.Offers[a.ID]
		until, excluded := it.Excluded[a.ID]
		if active && !a.Paused && !a.Away && !full && !holds && !(excluded && now.Before(until)) && !skip(a.ID) {
			out = append(out, eligibleAgent{a.ID, penalty})
		}
	}
	return out
}

// check asserts the properties after a command.
func (m *sim) check(cmd Command, before, snap Snapshot) {
	m.t.Helper()
	now := m.clk.Now()
	agents := map[int64]Agent{}
	for _, a := range snap.Agents {
		agents[a.ID] = a
	}
	queues := map[int64]Queue{}
	for _, q := range snap.Queues {
		queues[q.ID] = q
	}
	load := loads(snap)

	// (a) one owner at most; owned is not waiting; the effects agree.
	offersInState := 0
	for _, it := range snap.Interactions {
		switch {
		case it.Status == StatusWaiting && (it.Owner != 0 || it.Transfer != nil):
			m.fail("waiting interaction %d has an owner or a transfer", it.ID)
		case it.Status == StatusOwned && it.Owner == 0:
			m.fail("owned interaction %d has no owner", it.ID)
		case it.Status != StatusWaiting && it.Status != StatusOwned:
			m.fail("interaction %d has status %q", it.ID, it.Status)
		case it.Status == StatusOwned && it.Transfer == nil && len(it.Offers) > 0:
			m.fail("owned interaction %d is offered without a transfer", it.ID)
		}
		if owner, open := m.owners[it.ID]; !open || owner != it.Owner {
			m.fail("interaction %d: owner %d, the effects say %d (open %v)", it.ID, it.Owner, owner, open)
		}
		for agent := range it.Offers {
			offersInState++
			if !m.offers[offerKey{it.ID, agent}] {
				m.fail("offer of %d to %d that no effect announced", it.ID, agent)
			}
		}
	}
	if len(m.owners) != len(snap.Interactions) || len(m.offers) != offersInState {
		m.fail("the effects tell of %d interactions and %d offers, the state has %d and %d",
			len(m.owners), len(m.offers), len(snap.Interactions), offersInState)
	}

	// (b) capacity: offers only within it, and no command but a capacity
	// change or a login puts an agent further over it.
	for agent := range maps.Keys(load) {
		if got, want := m.s.AgentLoad(agent), load[agent]; !maps.Equal(got, want) {
			m.fail("agent %d: load view %v, counted %v", agent, got, want)
		}
	}
	beforeLoad := loads(before)
	for _, a := range snap.Agents {
		for _, ch := range Channels {
			l := load[a.ID][ch]
			if c := a.Capacity[ch]; c > 0 && l.Offered > 0 && l.Owned+l.Offered > c {
				m.fail("agent %d on %s holds %+v over capacity %d", a.ID, ch, l, c)
			}
			if changedCapacity(cmd, a.ID) {
				continue
			}
			if b := slices.IndexFunc(before.Agents, func(x Agent) bool { return x.ID == a.ID }); b >= 0 {
				if was, is := excess(before.Agents[b], beforeLoad[a.ID][ch], ch), excess(a, l, ch); is > was {
					m.fail("agent %d on %s went further over capacity: %d → %d", a.ID, ch, was, is)
				}
			}
		}
	}

	// Offers only to agents who may hold them, and none past its time.
	for _, it := range snap.Interactions {
		for agent, o := range it.Offers {
			a, in := agents[agent]
			_, active := a.ActiveQueues[it.QueueID]
			switch {
			case !in:
				m.fail("offer of %d to logged-out agent %d", it.ID, agent)
			case a.Away:
				m.fail("offer of %d to away agent %d", it.ID, agent)
			case !o.Transfer && (a.Paused || !active):
				m.fail("queue offer of %d to agent %d, paused or not in queue %d", it.ID, agent, it.QueueID)
			case o.Transfer && it.Transfer.ToAgent != 0 && agent != it.Transfer.ToAgent:
				m.fail("direct transfer of %d offered to %d", it.ID, agent)
			case o.Transfer && it.Transfer.ToQueue != 0:
				if _, active := a.ActiveQueues[it.Transfer.ToQueue]; a.Paused || !active {
					m.fail("queue transfer of %d offered to agent %d, paused or not in the queue", it.ID, agent)
				}
			}
			// (d) the clock only moves with a Tick, so nothing may be due.
			if !o.ExpiresAt.After(now) || (!o.AutoAcceptAt.IsZero() && !o.AutoAcceptAt.After(now)) {
				m.fail("offer of %d to %d is past its time: %+v", it.ID, agent, o)
			}
		}
	}

	// (c) nothing waits while an eligible agent is free; ring-all rings the
	// whole best tier; a transfer without offers has returned.
	for _, it := range snap.Interactions {
		switch {
		case it.Status == StatusWaiting:
			q, ok := queues[it.QueueID]
			if !ok {
				m.fail("interaction %d waits in missing queue %d", it.ID, it.QueueID)
			}
			free := eligibleFor(snap, load, now, it, q.ID, func(int64) bool { return false })
			m.checkRinging(it, q.ID, q.Strategy == RingAll, free, agents)
			if q.Strategy != RingAll && !m.strategyChanged[q.ID] && len(it.Offers) > 1 {
				m.fail("%s queue rings interaction %d to %d agents", q.Strategy, it.ID, len(it.Offers))
			}
			if q.MaxWait > 0 && q.MaxWaitAction != KeepWaiting && !it.WaitingSince.Add(q.MaxWait).After(now) {
				m.fail("interaction %d outstayed max wait", it.ID)
			}
		case it.Transfer != nil:
			tr := it.Transfer
			if len(it.Offers) == 0 || !tr.Deadline.After(now) {
				m.fail("transfer of %d without offers or past its deadline", it.ID)
			}
			if tr.ToQueue != 0 {
				free := eligibleFor(snap, load, now, it, tr.ToQueue, func(id int64) bool { return id == it.Owner || tr.Declined[id] })
				m.checkRinging(it, tr.ToQueue, true, free, agents)
			}
		}
	}

	// (d) nothing is due: the next deadline is ahead, and it is the
	// earliest of what the state holds, so no timed decision is missed.
	at, ok := m.s.NextDeadline()
	if ok && !at.After(now) {
		m.fail("deadline %v is due at %v after the command", at, now)
	}
	if want, wantOK := earliestDeadline(snap, queues); ok != wantOK || !at.Equal(want) {
		m.fail("next deadline %v (%v), the state's earliest is %v (%v)", at, ok, want, wantOK)
	}

	// The index dispatch and the deadlines scan holds exactly the
	// interactions waiting or being transferred.
	for _, it := range snap.Interactions {
		_, indexed := m.s.beingRouted[it.ID]
		if want := it.Status == StatusWaiting || it.Transfer != nil; indexed != want {
			m.fail("interaction %d (%s, transfer %v) being routed: %v", it.ID, it.Status, it.Transfer != nil, indexed)
		}
	}
	for id, it := range m.s.beingRouted {
		if m.s.interactions[id] != it {
			m.fail("interaction %d being routed is not the state's", id)
		}
	}
}

// earliestDeadline is, by the model, the first moment something timed is
// due: an offer's auto-answer or expiry, a waiting interaction's max wait
// (where its queue acts on it), the end of an exclusion.
func earliestDeadline(snap Snapshot, queues map[int64]Queue) (time.Time, bool) {
	var times []time.Time
	for _, it := range snap.Interactions {
		for _, o := range it.Offers {
			times = append(times, o.ExpiresAt)
			if !o.AutoAcceptAt.IsZero() {
				times = append(times, o.AutoAcceptAt)
			}
		}
		if it.Status != StatusWaiting {
			continue
		}
		if q := queues[it.QueueID]; q.MaxWait > 0 && q.MaxWaitAction != KeepWaiting {
			times = append(times, it.WaitingSince.Add(q.MaxWait))
		}
		for _, until := range it.Excluded {
			times = append(times, until)
		}
	}
	if len(times) == 0 {
		return time.Time{}, false
	}
	return slices.MinFunc(times, time.Time.Compare), true
}

// checkRinging: if an agent is free for it, it is being offered; with
// ring-all, to every free agent of the best tier.
func (m *sim) checkRinging(it Interaction, queueID int64, ringAll bool, free []eligibleAgent, agents map[int64]Agent) {
	m.t.Helper()
	if len(free) == 0 {
		return
	}
	if len(it.Offers) == 0 {
		m.fail("interaction %d waits while agent %d is free", it.ID, free[0].id)
	}
	if !ringAll {
		return
	}
	tier := 1 << 30
	for agent := range it.Offers {
		tier = min(tier, agents[agent].ActiveQueues[queueID])
	}
	for _, f := range free {
		if f.penalty <= tier {
			m.fail("ring-all of %d leaves out agent %d (penalty %d, ringing tier %d)", it.ID, f.id, f.penalty, tier)
		}
	}
}

func changedCapacity(cmd Command, agent int64) bool {
	switch c := cmd.(type) {
	case Login:
		return c.AgentID == agent
	case UpdateAgent:
		return c.AgentID == agent
	}
	return false
}

// Actions. Each predicts, from its own reading of the rules, whether the
// command must succeed, and with which error it must fail otherwise.

func (m *sim) loggedIn(agent int64) bool {
	_, ok := m.s.Agent(agent)
	return ok
}

func (m *sim) randomAgent() int64 { return 1 + m.r.Int64N(simAgents) }
func (m *sim) randomQueue() int64 { return 1 + m.r.Int64N(simQueues) }

func (m *sim) agentCommand(cmd func(agent int64) Command) {
	agent := m.randomAgent()
	var want error
	if !m.loggedIn(agent) {
		want = ErrNotLoggedIn
	}
	m.apply(cmd(agent), want)
}

func (m *sim) pause() {
	m.agentCommand(func(a int64) Command { return Pause{AgentID: a, Reason: "break"} })
}
func (m *sim) resume() { m.agentCommand(func(a int64) Command { return Resume{AgentID: a} }) }
func (m *sim) away()   { m.agentCommand(func(a int64) Command { return Away{AgentID: a} }) }
func (m *sim) back()   { m.agentCommand(func(a int64) Command { return Back{AgentID: a} }) }
func (m *sim) logout() {
	m.agentCommand(func(a int64) Command { return Logout{AgentID: a, Requeue: m.r.IntN(2) == 0} })
}
func (m *sim) updateAgent() {
	m.agentCommand(func(a int64) Command { return UpdateAgent{AgentID: a, AgentConfig: m.randomConfig()} })
}
func (m *sim) addToQueue() {
	m.agentCommand(func(a int64) Command {
		return AddToQueue{AgentID: a, QueueID: m.randomQueue(), Penalty: m.r.IntN(3)}
	})
}
func (m *sim) removeFromQueue() {
	m.agentCommand(func(a int64) Command { return RemoveFromQueue{AgentID: a, QueueID: m.randomQueue()} })
}

func (m *sim) login() {
	agent := m.randomAgent()
	var want error
	if m.loggedIn(agent) {
		want = ErrLoggedIn
	}
	m.apply(Login{AgentID: agent, Paused: m.r.IntN(4) == 0, AgentConfig: m.randomConfig()}, want)
}

func (m *sim) enqueue() {
	q := m.randomQueue()
	cmd := Enqueue{InteractionID: m.next, QueueID: q}
	if m.r.IntN(5) == 0 {
		p := m.r.IntN(4)
		cmd.Priority = &p
	}
	var want error
	if _, ok := m.s.Queue(q); !ok {
		want = ErrUnknownQueue
	}
	if m.r.IntN(20) == 0 && m.next > 1 {
		cmd.InteractionID = 1 + m.r.Int64N(m.next-1)
		if _, open := m.s.Interaction(cmd.InteractionID); open {
			want = map[bool]error{true: ErrInteractionExists, false: anyErr}[want == nil] // both wrong: either error
		}
	} else {
		m.next++
	}
	m.apply(cmd, want)
}

// someOffer picks a pending offer, or (sometimes, or when there is none) a
// random pair that may well have none.
func (m *sim) someOffer() offerKey {
	var all []offerKey
	for _, it := range m.s.Snapshot().Interactions {
		for _, agent := range slices.Sorted(maps.Keys(it.Offers)) {
			all = append(all, offerKey{it.ID, agent})
		}
	}
	if len(all) == 0 || m.r.IntN(10) < 3 {
		return offerKey{1 + m.r.Int64N(m.next), m.randomAgent()}
	}
	return all[m.r.IntN(len(all))]
}

func (m *sim) liveOffer(k offerKey) bool {
	it, ok := m.s.Interaction(k.interaction)
	o, offered := it.Offers[k.agent]
	return ok && offered && m.clk.Now().Before(o.ExpiresAt)
}

func (m *sim) accept() {
	k := m.someOffer()
	want := ErrNoLiveOffer
	if m.liveOffer(k) {
		want = nil
	}
	effects, _ := m.apply(Accept{InteractionID: k.interaction, AgentID: k.agent}, want)
	if want == nil {
		if owner, _ := m.s.Owner(k.interaction); owner != k.agent || len(effects) == 0 {
			m.fail("accept by %d left owner %d", k.agent, owner)
		}
	}
}

func (m *sim) reject() {
	k := m.someOffer()
	want := ErrNoLiveOffer
	if m.liveOffer(k) {
		want = nil
	}
	m.apply(Reject{InteractionID: k.interaction, AgentID: k.agent}, want)
}

func (m *sim) tick() {
	switch at, ok := m.s.NextDeadline(); {
	case ok && m.r.IntN(2) == 0:
		m.clk.Set(at) // exactly on time, as the owner's timer
	case m.r.IntN(20) == 0:
		m.clk.Advance(time.Duration(1+m.r.IntN(20)) * time.Minute) // late: a restart, a stall
	default:
		m.clk.Advance(time.Duration(1+m.r.IntN(90)) * time.Second)
	}
	m.apply(Tick{}, nil)
}

func (m *sim) close() {
	id := 1 + m.r.Int64N(m.next)
	if open := slices.Sorted(maps.Keys(m.owners)); len(open) > 0 && m.r.IntN(10) > 0 {
		id = open[m.r.IntN(len(open))]
	}
	var want error
	if _, ok := m.s.Interaction(id); !ok {
		want = ErrUnknownInteraction
	}
	m.apply(Close{InteractionID: id}, want)
}

func (m *sim) transfer() {
	snap := m.s.Snapshot()
	var owned []Interaction
	for _, it := range snap.Interactions {
		if it.Status == StatusOwned {
			owned = append(owned, it)
		}
	}
	if len(owned) == 0 {
		return
	}
	it := owned[m.r.IntN(len(owned))]
	cmd := Transfer{InteractionID: it.ID, By: it.Owner}
	if m.r.IntN(10) == 0 {
		cmd.By = m.randomAgent()
	}
	if m.r.IntN(3) > 0 {
		cmd.Timeout = time.Duration(10+m.r.IntN(110)) * time.Second
	}
	if m.r.IntN(2) == 0 {
		cmd.ToAgent = m.randomAgent()
	} else {
		cmd.ToQueue = m.randomQueue()
	}
	m.apply(cmd, m.predictTransfer(snap, it, cmd))
}

func (m *sim) predictTransfer(snap Snapshot, it Interaction, cmd Transfer) error {
	load := loads(snap)
	switch {
	case cmd.By != it.Owner:
		return ErrNotOwner
	case it.Transfer != nil:
		return ErrTransferPending
	case cmd.ToAgent == cmd.By:
		return ErrInvalid
	case cmd.ToAgent != 0:
		i := slices.IndexFunc(snap.Agents, func(a Agent) bool { return a.ID == cmd.ToAgent })
		if i < 0 || snap.Agents[i].Away {
			return ErrUnavailable
		}
		a, l := snap.Agents[i], load[cmd.ToAgent][it.Channel]
		if c := a.Capacity[it.Channel]; c > 0 && l.Owned+l.Offered >= c {
			return ErrUnavailable
		}
		return nil
	}
	i := slices.IndexFunc(snap.Queues, func(q Queue) bool { return q.ID == cmd.ToQueue })
	switch {
	case i < 0:
		return ErrUnknownQueue
	case snap.Queues[i].Channel != it.Channel:
		return ErrChannelMismatch
	case len(eligibleFor(snap, load, m.clk.Now(), it, cmd.ToQueue, func(id int64) bool { return id == it.Owner })) == 0:
		return ErrUnavailable
	}
	return nil
}

// restart is the owner going down and coming back, in one of two ways: a
// snapshot taken now goes through JSON into a fresh state (and the log
// starts again after it), or the last snapshot taken is restored and the
// commands logged since are replayed through JSON at their times. Either
// way the fresh state carries on and must equal the old one.
func (m *sim) restart() {
	data := mustJSON(m.t, m.s.Snapshot())
	restored := New(m.clk, rand.NewPCG(0, 0))
	how := "snapshot"
	if m.r.IntN(2) == 0 {
		how = "log"
		m.restore(restored, m.logBase)
		for _, entry := range m.log {
			var c LoggedCommand
			if err := json.Unmarshal([]byte(entry), &c); err != nil {
				m.fail("decode logged command %s: %v", entry, err)
			}
			if err := restored.Replay(c); err != nil {
				m.fail("replay of %s refused (it was applied the first time): %v", entry, err)
			}
		}
	} else {
		m.restore(restored, data)
		m.logBase, m.log = data, nil
	}
	if got := mustJSON(m.t, restored.Snapshot()); got != data {
		m.fail("state restored by %s differs:\n%s\n%s", how, data, got)
	}
	m.shadow, m.s = m.s, restored
	m.counts["restarts by "+how]++
	m.trail = append(m.trail, fmt.Sprintf("%d restart by %s", m.step, how))
}

func (m *sim) restore(s *State, data string) {
	var snap Snapshot
	if err := json.Unmarshal([]byte(data), &snap); err != nil {
		m.fail("decode snapshot: %v", err)
	}
	if err := s.Restore(snap); err != nil {
		m.fail("restore: %v", err)
	}
}

// inUse is the model's reading of when a queue may not go or change channel.
func (m *sim) inUse(id int64) bool {
	snap := m.s.Snapshot()
	for _, it := range snap.Interactions {
		if it.QueueID == id || (it.Transfer != nil && it.Transfer.ToQueue == id) {
			return true
		}
	}
	return slices.ContainsFunc(snap.Queues, func(q Queue) bool { return q.MaxWaitAction == MoveToQueue && q.MoveToQueueID == id })
}

func (m *sim) upsertQueue() {
	q := m.queues[m.randomQueue()]
	q.Strategy = Strategies[m.r.IntN(len(Strategies))]
	q.AgentTimeout = m.pickDuration(10, 20, 30, 60)
	q.Priority = m.r.IntN(3)
	prev, exists := m.s.Queue(q.ID)
	var want error
	if m.r.IntN(10) == 0 {
		q.Channel = Chat
		if prev.Channel == Chat {
			q.Channel = WhatsApp
		}
		q.MaxWaitAction, q.MoveToQueueID = KeepWaiting, 0
		if exists && m.inUse(q.ID) {
			want = ErrQueueInUse
		}
	} else if to, ok := m.s.Queue(q.MoveToQueueID); q.MaxWaitAction == MoveToQueue && (!ok || to.Channel != q.Channel) {
		want = anyErr // its move target went or changed channel
	}
	if exists && prev.Strategy == RingAll {
		m.strategyChanged[q.ID] = true // what rings now may ring to several
	}
	if _, err := m.apply(UpsertQueue{q}, want); err == nil {
		m.queues[q.ID] = q
	}
}

func (m *sim) removeQueue() {
	id := m.randomQueue()
	var want error
	if _, ok := m.s.Queue(id); !ok {
		want = ErrUnknownQueue
	} else if m.inUse(id) {
		want = ErrQueueInUse
	}
	m.apply(RemoveQueue{QueueID: id}, want)
}
