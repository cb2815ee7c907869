package duban

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Comment is a remark on a task by a leader, the office or a clerk of a unit
// that owns it: an instruction, a question, an answer. Comments are kept
// with the task for its whole life.
type Comment struct {
	ID     int64 `json:"id"`
	TaskID int64 `json:"task_id"`
	// PlanID is the task's plan, so that a plan's history finds its comments.
	PlanID   int64  `json:"plan_id"`
	AuthorID int64  `json:"author_id"`
	Author   string `json:"author"` // the author's label when the comment was made
	// AuthorRole is the author's role then, so that a leader's instruction
	// stands out in the list.
	AuthorRole Role      `json:"author_role"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
}

// MaxComment is the longest comment, in characters.
const MaxComment = 2000

// Validate checks a comment's text.
func (c *Comment) Validate() error {
	switch {
	case strings.TrimSpace(c.Text) == "":
		return Errorf(EINVALID, "内容不能为空：请填写进展情况或意见。")
	case utf8.RuneCountInString(c.Text) > MaxComment:
		return Errorf(EINVALID, "内容过长（超过 %d 字）：请精简，或分几次填写。", MaxComment)
	}
	return nil
}

// CommentFilter selects comments, oldest first. Nil fields do not filter;
// Limit 0 means no limit.
type CommentFilter struct {
	TaskID *int64
	PlanID *int64

	Offset int
	Limit  int
}

// CommentService keeps the comments on tasks.
type CommentService interface {
	// FindComments returns comments, oldest first, and how many match.
	FindComments(ctx context.Context, f CommentFilter) ([]*Comment, int, error)
	// CreateComment adds a comment to a task (CanCommentOnTask) and sets its
	// ID, author and time.
	CreateComment(ctx context.Context, c *Comment) error
}
