package web_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// stallingTasks holds the ledger's reading of tasks until the request is
// done, as a slow query does, and then fails as the store does: with the
// request's own cancellation, or with fault when one is set.
type stallingTasks struct {
	duban.TaskService
	entered chan struct{}
	fault   error
}

func (s *stallingTasks) FindTasks(ctx context.Context, f duban.TaskFilter) ([]*duban.Task, int, error) {
	if s.fault != nil {
		return nil, 0, s.fault
	}
	s.entered <- struct{}{}
	<-ctx.Done()
	return nil, 0, fmt.Errorf("sqldb: finding tasks: %w", ctx.Err())
}

// TestAbandonedRequest: a request whose client closed the connection is
// logged as abandoned, at INFO, without an internal error or a 500; a real
// fault still answers 500 and logs an ERROR with its cause.
func TestAbandonedRequest(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	tasks := &stallingTasks{TaskService: svc.Tasks, entered: make(chan struct{}, 1)}
	svc.Tasks = tasks
	log := &webtest.Buffer{}
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.NewTextHandler(log, nil))}, svc)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := webtest.NewClient(t, hs.URL)
	c.Login(viewer, password(viewer))

	// The client gives up while the server reads the tasks.
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+"/tasks", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.Cookie(web.SessionCookie)})
	done := make(chan error, 1)
	go func() {
		resp, err := hs.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-tasks.entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the client's request: got %v, want it canceled", err)
	}
	hs.Close() // waits for the handler to finish
	got := log.String()
	for _, want := range []string{`level=INFO msg="client closed request" method=GET path=/tasks`, `msg=request method=GET path=/tasks status=499`} {
		if !strings.Contains(got, want) {
			t.Errorf("the log lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"level=ERROR", "internal error", "status=500", "goroutine"} {
		if strings.Contains(got, not) {
			t.Errorf("an abandoned request is logged with %q:\n%s", not, got)
		}
	}

	// A real fault, the same request kept by its client.
	tasks.fault = errors.New("sqldb: finding tasks: disk I/O error")
	hs = httptest.NewServer(srv.Handler())
	defer hs.Close()
	c = webtest.NewClient(t, hs.URL)
	c.Login(viewer, password(viewer))
	c.MustGet("/tasks", http.StatusInternalServerError, "服务器内部错误")
	got = log.String()
	if want := `level=ERROR msg="internal error" method=GET path=/tasks error="sqldb: finding tasks: disk I/O error"`; !strings.Contains(got, want) {
		t.Errorf("the log lacks %q:\n%s", want, got)
	}
	if want := "path=/tasks status=500"; !strings.Contains(got, want) {
		t.Errorf("the request log lacks %q:\n%s", want, got)
	}
}
