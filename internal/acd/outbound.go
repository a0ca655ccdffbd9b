package acd

import (
	"context"
	"encoding/json"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/routing"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// StartOutbound is an agent starting a conversation himself (WhatsApp's
// +): one decision, in one transaction, that
//   - runs check (nothing must stand in the way, such as another open
//     conversation with the number): every interaction is created under
//     the engine's lock, so none can appear between check and creation;
//   - creates the interaction in in.QueueID (with in.With's writes, the
//     contact link);
//   - gives it to the agent (routing.StartOutbound: owned, never offered,
//     counted against his capacity);
//   - runs after(id), what needs him as its owner (the first message).
//
// A refusal at any step stores nothing and leaves routing as it was.
func (e *Engine) StartOutbound(ctx context.Context, agentID int64, in store.NewInteraction, check store.TxFunc,
	after func(interactionID int64) store.TxFunc) (*store.Interaction, error) {
	q, err := e.db.Queue(ctx, in.QueueID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("queue_id", "queue.unknown")
	}
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var id int64
	create := func(ctx context.Context, tx *store.Tx) (routing.Command, error) {
		if check != nil {
			if err := check(ctx, tx); err != nil {
				return nil, err
			}
		}
		var err error
		if id, err = tx.CreateInteraction(ctx, string(q.Channel), in, q.Priority, agentID); err != nil {
			return nil, err
		}
		return routing.StartOutbound{InteractionID: id, AgentID: agentID, QueueID: q.ID, Channel: routing.Channel(q.Channel)}, nil
	}
	var then store.TxFunc
	if after != nil {
		then = func(ctx context.Context, tx *store.Tx) error { return after(id)(ctx, tx) }
	}
	if _, err := e.applyInTx(ctx, create, then); err != nil {
		return nil, err
	}
	return e.db.Interaction(ctx, id)
}

// applyInTx is applyLocked for a command that needs rows written first in
// its decision's transaction (decide writes them and returns the command);
// then, when set, writes after the decision's own changes. The caller holds
// the lock.
func (e *Engine) applyInTx(ctx context.Context, decide func(context.Context, *store.Tx) (routing.Command, error),
	then store.TxFunc) ([]routing.Effect, error) {
	ctx = context.WithoutCancel(ctx) // as save: a decision is not cut short by a client leaving
	var logged routing.LoggedCommand
	var effects []routing.Effect
	applied := false
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		cmd, err := decide(ctx, tx)
		if err != nil {
			return err
		}
		logged = routing.LoggedCommand{At: e.clock.Now().Round(0), Command: cmd}
		raw, err := json.Marshal(logged)
		if err != nil {
			return err
		}
		if effects, err = e.state.ApplyAt(logged.At, cmd); err != nil {
			return mapRoutingError(err) // refused: routing unchanged, the transaction undoes decide's rows
		}
		applied = true
		e.lastID++ // not given back on failure: see applyLockedWith
		if err := tx.SaveRouting(ctx, routingBatch(effects, nil, store.RouterCommand{ID: e.lastID, Command: raw})); err != nil {
			return err
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		if applied {
			e.saveFailed()
		}
		return nil, err
	}
	e.saved(logged, effects)
	return effects, nil
}
