package duban_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// chain returns n linked events.
func chain(n int) []*duban.AuditEvent {
	var out []*duban.AuditEvent
	prev := ""
	at := time.Date(2022, 4, 22, 9, 0, 0, 123456000, time.UTC)
	for i := 1; i <= n; i++ {
		e := &duban.AuditEvent{
			Seq: int64(i), At: at.Add(time.Duration(i) * time.Second), Actor: "督办室", Action: "task.update",
			Entity: "task", EntityID: int64(i), PlanID: 1, Summary: "修改任务",
			Before: json.RawMessage(`{"text":"旧"}`), After: json.RawMessage(`{"text":"新"}`), PrevHash: prev,
		}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []*duban.AuditEvent, headSeq int64, headHash string) *duban.AuditVerification {
	var c duban.AuditChain
	for _, e := range events {
		c.Add(e)
	}
	return c.End(headSeq, headHash)
}

func TestAuditChain(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper func(es []*duban.AuditEvent) []*duban.AuditEvent
		// head is the chain head as the store keeps it: the last event of
		// the untampered chain.
		wantProblemAt []int64
	}{
		{"intact", func(es []*duban.AuditEvent) []*duban.AuditEvent { return es }, nil},
		{"edited summary", func(es []*duban.AuditEvent) []*duban.AuditEvent { es[2].Summary = "无事发生"; return es }, []int64{3}},
		{"edited after, hash recomputed", func(es []*duban.AuditEvent) []*duban.AuditEvent {
			es[1].After = json.RawMessage(`{"text":"另一个"}`)
			es[1].Hash = es[1].ComputeHash()
			return es
		}, []int64{3}},
		{"edited time", func(es []*duban.AuditEvent) []*duban.AuditEvent { es[0].At = es[0].At.Add(time.Microsecond); return es }, []int64{1}},
		{"deleted in the middle", func(es []*duban.AuditEvent) []*duban.AuditEvent { return append(es[:2], es[3:]...) }, []int64{4, 4}},
		{"deleted at the end", func(es []*duban.AuditEvent) []*duban.AuditEvent { return es[:4] }, []int64{5}},
		{"deleted at the start", func(es []*duban.AuditEvent) []*duban.AuditEvent { return es[1:] }, []int64{2, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			es := chain(5)
			head := es[4]
			v := verify(c.tamper(es), head.Seq, head.Hash)
			var got []int64
			for _, p := range v.Problems {
				got = append(got, p.Seq)
			}
			if len(got) != len(c.wantProblemAt) {
				t.Fatalf("problems at %v (%+v), want at %v", got, v.Problems, c.wantProblemAt)
			}
			for i := range got {
				if got[i] != c.wantProblemAt[i] {
					t.Errorf("problems at %v, want at %v", got, c.wantProblemAt)
				}
			}
			if got, want := v.OK(), len(c.wantProblemAt) == 0; got != want {
				t.Errorf("OK: got %v, want %v", got, want)
			}
		})
	}
}

// The hash's encoding is part of the stored data: changing it would make
// every existing log fail verification. This pins it.
func TestAuditHashIsStable(t *testing.T) {
	e := chain(1)[0]
	if got, want := e.Hash, "8859cf215c03be0929cae60e5bdb1d3930fd6f783520c6cb5ab6dbc44326829a"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
