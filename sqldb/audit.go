package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dubanhq/duban"
)

// record appends an audit event for a change made in tx: who (the user in
// the context), when (the transaction's now), what, and the entity before
// and after (nil for none), each marshalled to JSON. It is called by every
// method that changes something, inside the change's own transaction.
func (tx *Tx) record(action, entity string, entityID, planID int64, summary string, before, after any) error {
	if !tx.write {
		return fmt.Errorf("sqldb: audit event %s outside a write transaction", action)
	}
	e := &duban.AuditEvent{
		Seq: tx.headSeq + 1, At: tx.now, Action: action, Entity: entity, EntityID: entityID,
		PlanID: planID, Summary: summary, PrevHash: tx.headHash,
	}
	if u := tx.user; u != nil {
		e.ActorID, e.Actor = u.ID, u.Label()
	}
	var err error
	if e.Before, err = marshalState(before); err != nil {
		return err
	}
	if e.After, err = marshalState(after); err != nil {
		return err
	}
	e.Hash = e.ComputeHash()
	_, err = tx.exec(`INSERT INTO audit_events (seq, at, actor_id, actor, action, entity, entity_id, plan_id, summary, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, tx.ts(e.At), nullID(e.ActorID), e.Actor, e.Action, e.Entity, e.EntityID, nullID(e.PlanID),
		e.Summary, string(e.Before), string(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	tx.headSeq, tx.headHash, tx.headMoved = e.Seq, e.Hash, true
	return nil
}

func marshalState(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// commentAction is the audit action of a comment: the one change that moves
// AuditHead and not ListsHead, since a comment shows on its task's page
// alone. It changes nothing else: no task's time of change, no count.
const commentAction = duban.ActionComment

// AuditService reads and verifies the audit log.
type AuditService struct{ db *DB }

// NewAuditService returns the audit log of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ duban.AuditService = (*AuditService)(nil)

const auditColumns = "seq, at, actor_id, actor, action, entity, entity_id, plan_id, summary, before_json, after_json, prev_hash, hash"

func scanAuditEvent(sc interface{ Scan(...any) error }) (*duban.AuditEvent, error) {
	var e duban.AuditEvent
	var before, after string
	if err := sc.Scan(&e.Seq, timeCol{&e.At}, idCol{&e.ActorID}, &e.Actor, &e.Action, &e.Entity, &e.EntityID,
		idCol{&e.PlanID}, &e.Summary, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	if before != "" {
		e.Before = json.RawMessage(before)
	}
	if after != "" {
		e.After = json.RawMessage(after)
	}
	return &e, nil
}

// FindAuditEvents returns events, newest first. The history of one thing
// (Entity and EntityID given) is open to every reader, as the task page
// shows it; the whole log is the office's.
func (s *AuditService) FindAuditEvents(ctx context.Context, f duban.AuditFilter) ([]*duban.AuditEvent, int, error) {
	check := duban.CanReadAudit
	if f.Entity != nil && f.EntityID != nil {
		check = duban.CanRead
	}
	if _, err := duban.Authorize(ctx, "查看审计日志", check); err != nil {
		return nil, 0, err
	}
	var conds []string
	var args []any
	if f.Entity != nil {
		conds, args = append(conds, "entity = ?"), append(args, *f.Entity)
	}
	if f.EntityID != nil {
		conds, args = append(conds, "entity_id = ?"), append(args, *f.EntityID)
	}
	if f.PlanID != nil {
		conds, args = append(conds, "plan_id = ?"), append(args, *f.PlanID)
	}
	var events []*duban.AuditEvent
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		if total, err = tx.count("SELECT count(*) FROM audit_events"+where(conds), args...); err != nil {
			return err
		}
		page, pargs := tx.db.dialect.limit(f.Limit, f.Offset)
		rows, err := tx.query("SELECT "+auditColumns+" FROM audit_events"+where(conds)+" ORDER BY seq DESC"+page, append(args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAuditEvent(rows)
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		return rows.Err()
	})
	return events, total, err
}

// VerifyAudit reads the whole log in order and checks each event's hash and
// link to the one before, and the last against the chain's head.
func (s *AuditService) VerifyAudit(ctx context.Context) (*duban.AuditVerification, error) {
	if _, err := duban.Authorize(ctx, "核验审计日志", duban.CanReadAudit); err != nil {
		return nil, err
	}
	var v *duban.AuditVerification
	err := s.db.view(ctx, func(tx *Tx) error {
		var headSeq int64
		var headHash string
		if err := tx.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
			return err
		}
		rows, err := tx.query("SELECT " + auditColumns + " FROM audit_events ORDER BY seq")
		if err != nil {
			return err
		}
		defer rows.Close()
		var chain duban.AuditChain
		for rows.Next() {
			e, err := scanAuditEvent(rows)
			if err != nil {
				return err
			}
			chain.Add(e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		v = chain.End(headSeq, headHash)
		return nil
	})
	return v, err
}

// ListsHead returns the number of the latest event that is not a comment,
// to anyone signed in, from the index kept of those events (migration 005):
// the predicate here is the index's, which is what lets the database use it.
func (s *AuditService) ListsHead(ctx context.Context) (int64, error) {
	if _, err := duban.Authorize(ctx, "查看数据版本", duban.CanRead); err != nil {
		return 0, err
	}
	var seq int64
	err := s.db.viewRow(ctx, "SELECT COALESCE(max(seq), 0) FROM audit_events WHERE action <> '"+commentAction+"'").Scan(&seq)
	return seq, err
}

// tasksPredicate selects the events that move Heads.Tasks: neither a
// comment nor a report's save, whose changes to lists are their tasks'
// lights (unit_lights). It is the predicate of the index kept of those
// events (migration 011), which the query repeats so that the database
// uses it.
const tasksPredicate = "action NOT IN ('" + commentAction + "', 'report.save', 'report.submit', 'report.resubmit', 'report.return', 'report.accept')"

// Heads returns ListsHead, the latest event that is neither a comment nor
// a report, the version of a unit's tasks' lights (0 for unit 0) and the
// latest move of lights, to anyone signed in, in one query along the
// indexes kept for them.
func (s *AuditService) Heads(ctx context.Context, unitID int64) (duban.Heads, error) {
	if _, err := duban.Authorize(ctx, "查看数据版本", duban.CanRead); err != nil {
		return duban.Heads{}, err
	}
	var h duban.Heads
	err := s.db.viewRow(ctx, `SELECT (SELECT COALESCE(max(seq), 0) FROM audit_events WHERE action <> '`+commentAction+`'),
		(SELECT COALESCE(max(seq), 0) FROM audit_events WHERE `+tasksPredicate+`),
		COALESCE((SELECT version FROM unit_lights WHERE unit_id = ?), 0),
		(SELECT COALESCE(max(seq), 0) FROM light_moves)`, unitID).Scan(&h.Lists, &h.Tasks, &h.Lights, &h.Moves)
	return h, err
}

// AuditHead returns the number of the latest event, to anyone signed in: it
// tells nothing but that something changed.
func (s *AuditService) AuditHead(ctx context.Context) (int64, error) {
	if _, err := duban.Authorize(ctx, "查看数据版本", duban.CanRead); err != nil {
		return 0, err
	}
	var seq int64
	err := s.db.viewRow(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&seq)
	return seq, err
}
