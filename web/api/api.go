// Package api is duban's JSON API under /api/v1/: scripts read and change
// what the pages show people, through the same services, permission rules
// and errors. Each area has a file of its own listing its routes (plan.go,
// task.go, directory.go, account.go); api.go holds what they share: the
// list envelope, paging, reading JSON bodies, and the OpenAPI document
// (openapi.json) that describes every route, which a test regenerates from
// the route table and the types (go test ./web/api -run TestOpenAPIDocument
// -update).
//
// # Adding an API route
//
// Add it to its area's list with a pattern under /api/v1/; routes marks it
// an API route, so that its errors are JSON ({"error": {"code": …,
// "message": …}}). A handler answers with web.WriteJSON, or is made by
// apiGet, apiDo or apiListOf. Scripts authenticate with "Authorization:
// Bearer <token>" (tokens are made on the accounts page); such requests
// need no CSRF token, since no browser sends that header by itself. A
// browser calling the API with its session cookie must send the CSRF token
// in X-CSRF-Token.
package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// Part is the API's share of the server, for web.New.
func Part() web.Part { return web.Part{Routes: routes} }

// server is the web server as the API sees it: the core and the services.
type server struct {
	*web.Server
	svc web.Services
}

// routes joins the API's route lists, marking each an API route. Every
// route of the API is in openapi.json, which a test checks against this
// table.
func routes(srv *web.Server) []web.Route {
	s := &server{Server: srv, svc: srv.Services()}
	var all []web.Route
	for _, group := range [][]web.Route{
		{
			{Method: "GET", Pattern: "/api/v1/me", Allow: duban.CanRead, Action: "查看本人账号", Handler: s.apiMe},
			{Method: "POST", Pattern: "/api/v1/me/password", Allow: duban.CanRead, Action: "修改本人密码", Changes: true, Handler: s.apiChangePassword},
			// The document describes the API and nothing else, but it is
			// served only to the signed-in, like everything on the intranet
			// server but the sign-in form: a script reads it with its token.
			{Method: "GET", Pattern: "/api/v1/openapi.json", Allow: duban.CanRead, Action: "查看接口说明", Handler: s.apiOpenAPI},
		},
		s.apiPlanRoutes(),
		s.apiTaskRoutes(),
		s.apiDirectoryRoutes(),
		s.apiAccountRoutes(),
		s.apiCycleRoutes(),
		s.apiOutputRoutes(),
		s.apiSupervisionRoutes(),
		s.apiChannelRoutes(),
	} {
		for _, rt := range group {
			rt.API = true
			all = append(all, rt)
		}
	}
	return all
}

// openAPIDocument is the API's OpenAPI 3.1 description, checked in so that a
// change to the API shows as a diff, and checked against the route table by
// TestOpenAPIRoutes.
//
//go:embed openapi.json
var openAPIDocument []byte

// apiOpenAPI serves the OpenAPI document.
func (s *server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDocument)
	return nil
}

// apiMe answers who the caller is: a script checks its token with it.
func (s *server) apiMe(w http.ResponseWriter, r *http.Request) error {
	web.WriteJSON(w, http.StatusOK, duban.UserFromContext(r.Context()))
	return nil
}

// changePasswordRequest is the caller's current password and the new one.
type changePasswordRequest struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// apiChangePassword changes the caller's own password once the current one
// is checked, and answers 204. The caller's other sessions end; a browser
// calling with its session keeps that one.
func (s *server) apiChangePassword(w http.ResponseWriter, r *http.Request) error {
	var req changePasswordRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.ChangePassword(r, req.Current, req.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiList is the answer of every list: a page of items, how many match in
// all, and the page's place, so that a script can page through.
type apiList[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// writeList writes a page of a list; an empty page is [] rather than null,
// so that a script can loop over it without a check.
func writeList[T any](w http.ResponseWriter, items []T, total int, pg apiPage) error {
	if items == nil {
		items = []T{}
	}
	web.WriteJSON(w, http.StatusOK, apiList[T]{Items: items, Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

// apiPage is the page of a list a request asks for.
type apiPage struct{ Offset, Limit int }

// Paging bounds: a list answers apiDefaultLimit items unless asked for
// more, and never more than apiMaxLimit, which holds a whole year's ledger.
const (
	apiDefaultLimit = 50
	apiMaxLimit     = 1000
)

// readAPIPage reads ?offset= and ?limit=, or, as the pages write them,
// ?page= and ?size=, so that a page's address works for the API too.
func readAPIPage(q url.Values) (apiPage, error) {
	pg := apiPage{Limit: apiDefaultLimit}
	num := func(names ...string) (int, bool, error) {
		for _, name := range names {
			v := strings.TrimSpace(q.Get(name))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0, false, duban.Errorf(duban.EINVALID, "参数“%s=%s”不正确：应为不小于 0 的整数。", name, v)
			}
			return n, true, nil
		}
		return 0, false, nil
	}
	n, ok, err := num("limit", "size")
	if err != nil {
		return pg, err
	}
	if ok {
		if n < 1 || n > apiMaxLimit {
			return pg, duban.Errorf(duban.EINVALID, "每页条数 %d 不正确：应在 1 到 %d 之间。", n, apiMaxLimit)
		}
		pg.Limit = n
	}
	if n, ok, err = num("offset"); err != nil {
		return pg, err
	} else if ok {
		pg.Offset = n
	} else if n, ok, err = num("page"); err != nil {
		return pg, err
	} else if ok && n > 1 {
		pg.Offset = (n - 1) * pg.Limit
	}
	return pg, nil
}

// optionalID reads an optional ID from a query: nil when absent.
func optionalID(q url.Values, name string) (*int64, error) {
	v, err := web.QueryInt(q, name)
	if err != nil || v == nil || *v == 0 {
		return nil, err
	}
	return v, nil
}

// decodeJSON reads a request's JSON body into v. An empty body is an empty
// object, so that an action without parameters (publish) needs none; a
// field the API does not know is refused, so that a misspelt one is not
// silently ignored, and so is a text no store can keep (a NUL byte).
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return duban.Errorf(duban.EINVALID, "请求体应为 JSON（Content-Type: application/json），而不是 %s。", mt)
		}
	}
	data, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return duban.Errorf(duban.ETOOLARGE, "请求体过大（超过 %.0f MB）。", float64(tooLarge.Limit)/(1<<20))
	case err != nil:
		return &duban.Error{Code: duban.EINVALID, Message: "无法读取请求体：请重试。", Err: err}
	case len(bytes.TrimSpace(data)) == 0:
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &duban.Error{Code: duban.EINVALID, Message: "请求体不是正确的 JSON：" + jsonReason(err), Err: err}
	}
	if dec.More() {
		return duban.Errorf(duban.EINVALID, "请求体只能有一个 JSON 对象。")
	}
	return web.CheckStrings(v)
}

// jsonReason says in Chinese what is wrong with a JSON body, naming the
// field when the decoder does.
func jsonReason(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return "字段“" + typeErr.Field + "”的类型应为 " + typeErr.Type.String() + "。"
	case errors.As(err, &syntaxErr):
		return "第 " + strconv.FormatInt(syntaxErr.Offset, 10) + " 个字节处有语法错误。"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "没有字段 " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "。"
	}
	return "请检查格式。"
}

// apiOK answers a request with the thing it read or changed.
func apiOK(w http.ResponseWriter, v any) error {
	web.WriteJSON(w, http.StatusOK, v)
	return nil
}

// apiGet makes the handler of a route that answers one thing, found by the
// ID in a path wildcard.
func apiGet[T any](wildcard string, find func(ctx context.Context, id int64) (T, error)) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, wildcard)
		if err != nil {
			return err
		}
		v, err := find(r.Context(), id)
		if err != nil {
			return err
		}
		return apiOK(w, v)
	}
}

// apiDo makes the handler of a route that changes the thing a path
// wildcard names with a JSON body of type B, and answers what act returns
// with the status (200, or 201 when it made something).
func apiDo[B, T any](wildcard string, status int, act func(ctx context.Context, id int64, body B) (T, error)) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var id int64
		if wildcard != "" {
			var err error
			if id, err = web.PathID(r, wildcard); err != nil {
				return err
			}
		}
		var body B
		if err := decodeJSON(r, &body); err != nil {
			return err
		}
		v, err := act(r.Context(), id, body)
		if err != nil {
			return err
		}
		web.WriteJSON(w, status, v)
		return nil
	}
}

// apiListOf makes the handler of a list: read reads the filter from the
// query with the page, find finds the page of things.
func apiListOf[F, T any](read func(r *http.Request, q url.Values, pg apiPage) (F, error), find func(ctx context.Context, f F) ([]T, int, error)) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		pg, err := readAPIPage(q)
		if err != nil {
			return err
		}
		f, err := read(r, q, pg)
		if err != nil {
			return err
		}
		items, total, err := find(r.Context(), f)
		if err != nil {
			return err
		}
		return writeList(w, items, total, pg)
	}
}
