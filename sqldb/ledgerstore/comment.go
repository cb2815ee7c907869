package ledgerstore

import (
	"context"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// CommentService keeps the comments on tasks.
type CommentService struct{ db *sqldb.DB }

// NewCommentService returns the comments of db.
func NewCommentService(db *sqldb.DB) *CommentService { return &CommentService{db: db} }

var _ duban.CommentService = (*CommentService)(nil)

// FindComments returns comments, oldest first. Comments on the tasks of a
// draft are seen only by those who see drafts.
func (s *CommentService) FindComments(ctx context.Context, f duban.CommentFilter) ([]*duban.Comment, int, error) {
	if _, err := duban.Authorize(ctx, "查看进展情况与意见", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var conds []string
	var args []any
	if f.TaskID != nil {
		conds, args = append(conds, "c.task_id = ?"), append(args, *f.TaskID)
	}
	if f.PlanID != nil {
		conds, args = append(conds, "c.plan_id = ?"), append(args, *f.PlanID)
	}
	var comments []*duban.Comment
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		conds = append(conds, visiblePlan(tx))
		from := " FROM comments c JOIN plans p ON p.id = c.plan_id" + sqldb.Where(conds)
		var err error
		if total, err = tx.Count("SELECT count(*)"+from, args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		rows, err := tx.Query("SELECT c.id, c.task_id, c.plan_id, c.author_id, c.author, c.author_role, c.text, c.created_at"+
			from+" ORDER BY c.id"+page, append(args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c duban.Comment
			if err := rows.Scan(&c.ID, &c.TaskID, &c.PlanID, sqldb.IDCol(&c.AuthorID), &c.Author, &c.AuthorRole, &c.Text,
				sqldb.TimeCol(&c.CreatedAt)); err != nil {
				return err
			}
			comments = append(comments, &c)
		}
		return rows.Err()
	})
	return comments, total, err
}

// CreateComment adds a comment to a task of a published plan. The comment
// is recorded in the task's history.
func (s *CommentService) CreateComment(ctx context.Context, c *duban.Comment) error {
	u, err := duban.Authorize(ctx, "填写进展情况或意见", duban.CanComment)
	if err != nil {
		return err
	}
	c.Text = strings.TrimSpace(c.Text)
	return s.db.Update(ctx, func(tx *Tx) error {
		t, err := findTask(tx, c.TaskID)
		if err != nil {
			return err
		}
		// Who may comment is settled before what they wrote is checked,
		// so that a refusal does not depend on the text.
		groups, err := groupMembers(tx)
		if err != nil {
			return err
		}
		if !duban.CanCommentOnTask(u, t, groups) {
			return duban.Forbidden(u, "填报其他单位任务的进展情况")
		}
		if err := c.Validate(); err != nil {
			return err
		}
		p, err := findPlan(tx, t.PlanID, false)
		if err != nil {
			return err
		}
		if p.State == duban.PlanDraft {
			return duban.Errorf(duban.ECONFLICT, "文件“%s”尚未发布：发布后才能填报进展情况或发表意见。", p.Title)
		}
		c.PlanID, c.AuthorID, c.Author, c.AuthorRole, c.CreatedAt = t.PlanID, u.ID, u.Label(), u.Role, tx.Now()
		if c.ID, err = tx.Insert(`INSERT INTO comments (task_id, plan_id, author_id, author, author_role, text, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.TaskID, c.PlanID, sqldb.NullID(c.AuthorID), c.Author, string(c.AuthorRole), c.Text,
			tx.Time(tx.Now())); err != nil {
			return err
		}
		summary := "对任务 " + t.No + " 发表意见"
		if u.Role == duban.RoleClerk {
			summary = "填报任务 " + t.No + " 的进展情况"
		}
		return tx.Record(duban.ActionComment, "task", t.ID, t.PlanID, summary, nil, c)
	})
}
