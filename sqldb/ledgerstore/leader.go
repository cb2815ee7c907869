package ledgerstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// LeaderService keeps the directory of leaders.
type LeaderService struct{ db *sqldb.DB }

// NewLeaderService returns the leaders of db.
func NewLeaderService(db *sqldb.DB) *LeaderService { return &LeaderService{db: db} }

var _ duban.LeaderService = (*LeaderService)(nil)

// FindLeaderByID returns one leader.
func (s *LeaderService) FindLeaderByID(ctx context.Context, id int64) (*duban.Leader, error) {
	if _, err := duban.Authorize(ctx, "查看领导", duban.CanRead); err != nil {
		return nil, err
	}
	var l *duban.Leader
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		l, err = findLeader(tx, id)
		return err
	})
	return l, err
}

// FindLeaders returns leaders in the order they entered the directory.
func (s *LeaderService) FindLeaders(ctx context.Context, f duban.LeaderFilter) ([]*duban.Leader, int, error) {
	if _, err := duban.Authorize(ctx, "查看领导", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var leaders []*duban.Leader
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		leaders, total, err = findLeaders(tx, f)
		return err
	})
	return leaders, total, err
}

func findLeader(tx *Tx, id int64) (*duban.Leader, error) {
	ls, _, err := findLeaders(tx, duban.LeaderFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, sqldb.NotFound("领导", id)
	}
	return ls[0], nil
}

func findLeaders(tx *Tx, f duban.LeaderFilter) ([]*duban.Leader, int, error) {
	var conds []string
	var args []any
	if f.ID != nil {
		conds, args = append(conds, "id = ?"), append(args, *f.ID)
	}
	if f.Name != nil {
		conds, args = append(conds, "name = ?"), append(args, duban.NormalizeName(*f.Name))
	}
	if f.Query != "" {
		conds, args = append(conds, `name LIKE ? ESCAPE '\'`), append(args, likePattern(f.Query))
	}
	total, err := tx.Count("SELECT count(*) FROM leaders"+sqldb.Where(conds), args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	// Leaders placed come first, by their order; those not yet placed
	// follow in the order they entered the directory.
	rows, err := tx.Query("SELECT id, name, title, ord, created_at, updated_at FROM leaders"+sqldb.Where(conds)+
		" ORDER BY ord = 0, ord, id"+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*duban.Leader
	for rows.Next() {
		var l duban.Leader
		if err := rows.Scan(&l.ID, &l.Name, &l.Title, &l.Order, sqldb.TimeCol(&l.CreatedAt), sqldb.TimeCol(&l.UpdatedAt)); err != nil {
			return nil, 0, err
		}
		out = append(out, &l)
	}
	return out, total, rows.Err()
}

// CreateLeader adds a leader.
func (s *LeaderService) CreateLeader(ctx context.Context, l *duban.Leader) error {
	if _, err := duban.Authorize(ctx, "管理领导名录", duban.CanManageDirectory); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error { return createLeader(tx, l, "新建领导") })
}

// createLeader inserts a leader, its name kept in the normalised form names
// are looked up in. why says what led to it in the audit log.
func createLeader(tx *Tx, l *duban.Leader, why string) error {
	l.Name, l.Title = duban.NormalizeName(l.Name), strings.TrimSpace(l.Title)
	if err := l.Validate(); err != nil {
		return err
	}
	if err := leaderNameFree(tx, l.Name, 0); err != nil {
		return err
	}
	l.CreatedAt, l.UpdatedAt = tx.Now(), tx.Now()
	var err error
	if l.ID, err = tx.Insert("INSERT INTO leaders (name, title, ord, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		l.Name, l.Title, l.Order, tx.Time(tx.Now()), tx.Time(tx.Now())); err != nil {
		return err
	}
	return tx.Record("leader.create", "leader", l.ID, 0, why+"："+l.Name, nil, l)
}

func leaderNameFree(tx *Tx, name string, id int64) error {
	var other int64
	err := tx.QueryRow("SELECT id FROM leaders WHERE name = ?", name).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case other == id:
		return nil
	}
	return duban.Errorf(duban.ECONFLICT, "已有名为“%s”的领导（#%d）。", name, other)
}

// UpdateLeader corrects a leader's name or title.
func (s *LeaderService) UpdateLeader(ctx context.Context, id int64, upd duban.LeaderUpdate) (*duban.Leader, error) {
	if _, err := duban.Authorize(ctx, "管理领导名录", duban.CanManageDirectory); err != nil {
		return nil, err
	}
	var l *duban.Leader
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if l, err = findLeader(tx, id); err != nil {
			return err
		}
		before := *l
		if upd.Name != nil {
			l.Name = duban.NormalizeName(*upd.Name)
		}
		if upd.Title != nil {
			l.Title = strings.TrimSpace(*upd.Title)
		}
		if upd.Order != nil {
			l.Order = *upd.Order
		}
		if err := l.Validate(); err != nil {
			return err
		}
		if err := leaderNameFree(tx, l.Name, id); err != nil {
			return err
		}
		l.UpdatedAt = tx.Now()
		if _, err := tx.Exec("UPDATE leaders SET name = ?, title = ?, ord = ?, updated_at = ? WHERE id = ?", l.Name, l.Title, l.Order, tx.Time(tx.Now()), id); err != nil {
			return err
		}
		return tx.Record("leader.update", "leader", id, 0, leaderChange(&before, l), before, l)
	})
	return l, err
}

// leaderChange says in a sentence what a correction of a leader changed,
// each field with its old and new value.
func leaderChange(before, after *duban.Leader) string {
	var parts []string
	if before.Name != after.Name {
		parts = append(parts, "姓名 "+before.Name+" → "+after.Name)
	}
	if before.Title != after.Title {
		parts = append(parts, "职务 "+orNone(before.Title)+" → "+orNone(after.Title))
	}
	if before.Order != after.Order {
		parts = append(parts, fmt.Sprintf("排序 %d → %d", before.Order, after.Order))
	}
	if len(parts) == 0 {
		return "修改领导：" + after.Name + "（无改动）"
	}
	return "修改领导 " + after.Name + "：" + strings.Join(parts, "，")
}

// orNone shows an empty value as 无.
func orNone(s string) string {
	if s == "" {
		return "无"
	}
	return s
}
