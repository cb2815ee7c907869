package duban

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// AuditEvent records one change: who made it, when, to what, and the thing
// before and after. Events form a chain: each carries the hash of the one
// before it, so that an edited or deleted event breaks the chain and
// VerifyAudit finds it.
type AuditEvent struct {
	// Seq numbers events from 1 without gaps.
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	ActorID int64     `json:"actor_id,omitempty"` // 0 for the command line
	Actor   string    `json:"actor"`
	// Action names the change, entity.verb: plan.import, task.update.
	Action string `json:"action"`
	// Entity and EntityID name what changed (plan, task, statement, unit,
	// leader, user); a task's history is the events naming it.
	Entity   string `json:"entity"`
	EntityID int64  `json:"entity_id"`
	// PlanID is the plan the change belongs to, 0 for the directory and
	// accounts, so that a plan's history is one query.
	PlanID int64 `json:"plan_id,omitempty"`
	// Summary tells the change in a sentence, in Chinese.
	Summary string `json:"summary"`
	// Before and After are JSON of the entity, or empty (nothing before a
	// creation). They are hashed as stored, byte for byte.
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`

	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// AuditTimeFormat is how an event's time enters its hash: UTC, to the
// microsecond, the precision every store keeps.
const AuditTimeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the event's hash: SHA-256 over every field but Hash,
// PrevHash included, each field length-prefixed so that no two different
// events encode alike.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		"duban.audit/v1",
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(AuditTimeFormat),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor,
		e.Action,
		e.Entity,
		strconv.FormatInt(e.EntityID, 10),
		strconv.FormatInt(e.PlanID, 10),
		e.Summary,
		string(e.Before),
		string(e.After),
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditProblem is one place where the audit chain does not hold.
type AuditProblem struct {
	Seq     int64  `json:"seq"`
	Message string `json:"message"`
}

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	Events   int64          `json:"events"`
	LastSeq  int64          `json:"last_seq"`
	LastHash string         `json:"last_hash"`
	Problems []AuditProblem `json:"problems"`
}

// OK reports whether the chain holds.
func (v *AuditVerification) OK() bool { return len(v.Problems) == 0 }

// AuditChain checks events one by one, in order of Seq, so that a store can
// stream a log of any length through it.
type AuditChain struct {
	v AuditVerification
}

// Add checks the next event against the ones before.
func (c *AuditChain) Add(e *AuditEvent) {
	v := &c.v
	if e.Seq != v.LastSeq+1 {
		v.problem(e.Seq, fmt.Sprintf("第 %d 条之后应为第 %d 条，实际为第 %d 条：中间的记录被删除。", v.LastSeq, v.LastSeq+1, e.Seq))
	}
	if e.PrevHash != v.LastHash {
		v.problem(e.Seq, fmt.Sprintf("第 %d 条记录的前一条摘要与链不符：前面的记录被修改或删除。", e.Seq))
	}
	if e.ComputeHash() != e.Hash {
		v.problem(e.Seq, fmt.Sprintf("第 %d 条记录的内容与其摘要不符：该记录被修改。", e.Seq))
	}
	v.Events++
	v.LastSeq, v.LastHash = e.Seq, e.Hash
}

// End checks the last event against the chain's head, which the store keeps
// apart from the events, so that deleting the newest events is found too. It
// returns the result.
func (c *AuditChain) End(headSeq int64, headHash string) *AuditVerification {
	v := &c.v
	if headSeq != v.LastSeq || headHash != v.LastHash {
		v.problem(headSeq, fmt.Sprintf("日志应以第 %d 条结束，实际最后一条为第 %d 条：最新的记录被删除或修改。", headSeq, v.LastSeq))
	}
	return v
}

func (v *AuditVerification) problem(seq int64, msg string) {
	v.Problems = append(v.Problems, AuditProblem{Seq: seq, Message: msg})
}

// AuditFilter selects audit events, newest first. Nil fields do not filter;
// Limit 0 means no limit.
type AuditFilter struct {
	Entity   *string
	EntityID *int64
	PlanID   *int64

	Offset int
	Limit  int
}

// AuditService reads and verifies the audit log. Events are written by the
// other services, in the transaction of the change they record.
type AuditService interface {
	// FindAuditEvents returns events matching the filter, newest first, and
	// how many match in all.
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit checks the whole chain.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
	// AuditHead returns the number of the latest event. Every change writes
	// an event, so the head is a version of all the data: what was read at
	// one head is still true while the head has not moved, on every server.
	AuditHead(ctx context.Context) (int64, error)
	// ListsHead returns the number of the latest event of a change that can
	// show in a list of tasks, plans, units or leaders: every change but a
	// comment, which shows on its task's page alone. It is the version of
	// what such lists show, as AuditHead is of all the data, and it stays
	// put while clerks comment all day in a reporting week.
	ListsHead(ctx context.Context) (int64, error)
	// Heads returns the versions a page cache keys its pages by, read at
	// once: ListsHead's, and those of the pages of one unit's tasks (a
	// unit's page, the ledger filtered by a unit), whose lists a report
	// changes only where it changes a task's status light. Those pages are
	// right while Tasks and the unit's Lights have not moved.
	Heads(ctx context.Context, unitID int64) (Heads, error)
}

// Heads are versions of what lists show, every server reading the same
// (AuditService.Heads).
type Heads struct {
	// Lists is ListsHead: the latest event but a comment.
	Lists int64
	// Tasks is the latest event but a comment or a report: what moves the
	// tasks, their owners and the directory.
	Tasks int64
	// Lights is the version of the status lights of the unit's tasks
	// (named, or through a group): it moves whenever one of them changes.
	// 0 when no unit was asked for.
	Lights int64
	// Moves is the latest move of some tasks' lights (of any unit's),
	// after which a page of a unit's tasks lit before reads again only
	// the lights that moved (cycle.LightService.FindLightMoves).
	Moves int64
}
