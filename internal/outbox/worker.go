package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// Queue is the outbox's storage (store.DB). Results are recorded only by
// the claim that still holds a row (Job.Attempt), except a success, which
// is always worth keeping.
type Queue interface {
	ClaimOutbox(ctx context.Context, lease time.Duration, limit int) ([]Job, error)
	NextOutboxDue(ctx context.Context) (*time.Time, error)
	OutboxSent(ctx context.Context, j Job, providerMessageID string) error
	OutboxRetry(ctx context.Context, j Job, next time.Time, reason string) error
	OutboxFailed(ctx context.Context, j Job, reason string) error
}

// Sender delivers one job through a provider and returns the provider's
// id of the message. A *Rejected error is final; any other is retried.
type Sender interface {
	Send(ctx context.Context, j Job) (providerMessageID string, err error)
}

// Options tune a worker; zero values take the defaults.
type Options struct {
	// Lease is how long a claimed row is ours: a worker that has not
	// recorded a result by then is taken for dead. Longer than SendTimeout.
	Lease time.Duration
	// SendTimeout bounds one call to a provider.
	SendTimeout time.Duration
	// FirstRetry is the wait after the first failure, doubled after each
	// further one up to MaxRetryWait.
	FirstRetry   time.Duration
	MaxRetryWait time.Duration
	// MaxAttempts is how many tries a message gets before it fails.
	MaxAttempts int
	// Idle is how long the worker sleeps with nothing due (another node
	// may have enqueued); it is woken at once by Wake.
	Idle time.Duration
	// Batch is how many rows one claim takes.
	Batch int
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.SendTimeout, 30*time.Second)
	def(&o.Lease, 2*time.Minute)
	def(&o.FirstRetry, 5*time.Second)
	def(&o.MaxRetryWait, 10*time.Minute)
	def(&o.Idle, time.Minute)
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 10
	}
	if o.Batch == 0 {
		o.Batch = 20
	}
	return o
}

// Worker sends the outbox's due messages one at a time, and sleeps on the
// injected clock until the next is due. A conversation's messages go in
// the order the agent wrote them: the claim holds a message back while an
// earlier one of its conversation waits for a retry or a lapsed lease.
type Worker struct {
	queue   Queue
	senders map[string]Sender // by channel
	clock   clock.Clock
	log     *slog.Logger
	opts    Options

	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	timer   clock.Timer
	wakesAt *time.Time // when the armed timer fires (tests watch it)
}

// NewWorker builds a worker; senders maps a channel ("whatsapp") to the
// sender of its messages.
func NewWorker(q Queue, senders map[string]Sender, clk clock.Clock, log *slog.Logger, opts Options) *Worker {
	return &Worker{queue: q, senders: senders, clock: clk, log: log, opts: opts.withDefaults(),
		wake: make(chan struct{}, 1)}
}

// Start runs the worker until Stop. It looks for due work at once, so
// rows left by a previous run (pending, or sending with a lapsed lease)
// go out.
func (w *Worker) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.run(ctx)
	w.Wake()
}

// Stop ends the worker after the send in progress, if any.
func (w *Worker) Stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
}

// Wake asks the worker to look for due work now (a message was enqueued).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default: // a wake is already pending
	}
}

// WakesAt is when the worker's timer next fires; false while it works or
// has no timer.
func (w *Worker) WakesAt() (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wakesAt == nil {
		return time.Time{}, false
	}
	return *w.wakesAt, true
}

func (w *Worker) run(ctx context.Context) {
	defer close(w.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		}
		w.disarm()
		if err := w.drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("outbox", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
		w.arm(ctx)
	}
}

// drain sends every due job, claim after claim, until none is due.
func (w *Worker) drain(ctx context.Context) error {
	for ctx.Err() == nil {
		jobs, err := w.queue.ClaimOutbox(ctx, w.opts.Lease, w.opts.Batch)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			return nil
		}
		for _, j := range jobs {
			if err := w.deliver(ctx, j); err != nil {
				return err
			}
		}
	}
	return nil
}

// deliver sends one job and records the answer at once. Recording ignores
// the stop signal: an answer the provider gave must not be lost to a
// shutdown.
func (w *Worker) deliver(ctx context.Context, j Job) error {
	record := context.WithoutCancel(ctx)
	sender, ok := w.senders[j.Channel]
	if !ok {
		return w.queue.OutboxFailed(record, j, fmt.Sprintf("no sender for the %s channel", j.Channel))
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.opts.SendTimeout)
	id, err := sender.Send(sendCtx, j)
	cancel()
	if err == nil {
		return w.queue.OutboxSent(record, j, id)
	}
	if reason, final := IsRejected(err); final {
		w.log.Info("outbox: refused by the provider", "message", j.MessageID, "reason", reason)
		return w.queue.OutboxFailed(record, j, reason)
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Stopping: the lease brings the row back on the next start.
		return nil
	}
	if j.Attempt >= w.opts.MaxAttempts {
		w.log.Warn("outbox: giving up", "message", j.MessageID, "attempts", j.Attempt, "err", err)
		return w.queue.OutboxFailed(record, j, err.Error())
	}
	next := w.clock.Now().Add(Backoff(j.Attempt, w.opts.FirstRetry, w.opts.MaxRetryWait))
	w.log.Info("outbox: will retry", "message", j.MessageID, "attempt", j.Attempt, "at", next, "err", err)
	return w.queue.OutboxRetry(record, j, next, err.Error())
}

// arm sets the timer for the next due row, or the idle wait; work that is
// already due wakes the loop at once.
func (w *Worker) arm(ctx context.Context) {
	now := w.clock.Now()
	wait := w.opts.Idle
	next, err := w.queue.NextOutboxDue(ctx)
	if err != nil {
		w.log.Warn("outbox: next due", "err", err)
		wait = w.opts.FirstRetry // the database may be back soon
	} else if next != nil {
		if !next.After(now) {
			w.Wake()
			return
		}
		wait = min(wait, next.Sub(now))
	}
	at := now.Add(wait)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = w.clock.AfterFunc(wait, w.Wake)
	w.wakesAt = &at
}

func (w *Worker) disarm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.wakesAt = nil
}
