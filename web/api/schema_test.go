package api_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// apiSchemas checks answers against the schemas of openapi.json, with the
// little of JSON Schema the document uses: $ref, anyOf, type (one or a
// list), enum, properties, required, additionalProperties, items and the
// date-time format.
type apiSchemas struct {
	doc map[string]any
	// ops are the documented operations, literal paths before those with
	// wildcards, as the router prefers them.
	ops []apiOp
}

// apiOp is one documented operation.
type apiOp struct {
	method string
	path   *regexp.Regexp
	// literal says the path has no wildcard.
	literal   bool
	responses map[string]any
	// body is the schema of the JSON request body, nil for none.
	body map[string]any
	// query are the names of the query parameters.
	query []string
}

var wildcard = regexp.MustCompile(`\{[a-z_]+\}`)

// loadAPISchemas reads openapi.json.
func loadAPISchemas(t *testing.T) *apiSchemas {
	t.Helper()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	s := &apiSchemas{}
	if err := json.Unmarshal(data, &s.doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	for path, ops := range s.doc["paths"].(map[string]any) {
		re := regexp.MustCompile("^" + wildcard.ReplaceAllString(path, `[^/]+`) + "$")
		for method, op := range ops.(map[string]any) {
			o := op.(map[string]any)
			ao := apiOp{method: strings.ToUpper(method), path: re, literal: !wildcard.MatchString(path),
				responses: o["responses"].(map[string]any)}
			params, _ := o["parameters"].([]any)
			for _, p := range params {
				if p := p.(map[string]any); p["in"] == "query" {
					ao.query = append(ao.query, p["name"].(string))
				}
			}
			if rb, ok := o["requestBody"].(map[string]any); ok {
				if media, ok := rb["content"].(map[string]any)["application/json"].(map[string]any); ok {
					ao.body = media["schema"].(map[string]any)
				}
			}
			s.ops = append(s.ops, ao)
		}
	}
	slices.SortFunc(s.ops, func(a, b apiOp) int {
		if a.literal != b.literal {
			if a.literal {
				return -1
			}
			return 1
		}
		return strings.Compare(a.path.String(), b.path.String())
	})
	return s
}

// op finds the documented operation of a request, or nil.
func (s *apiSchemas) op(method, path string) *apiOp {
	for i := range s.ops {
		if s.ops[i].method == method && s.ops[i].path.MatchString(path) {
			return &s.ops[i]
		}
	}
	return nil
}

// checkRequest returns what is wrong with a request that the server
// accepted: the document must describe its query parameters and its JSON
// body, so that a client made from the document can send what the server
// takes.
func (s *apiSchemas) checkRequest(method string, u *url.URL, body []byte) []string {
	op := s.op(method, u.Path)
	if op == nil {
		return []string{"the operation is not documented"}
	}
	var problems []string
	for name := range u.Query() {
		if !slices.Contains(op.query, name) {
			problems = append(problems, "query parameter "+name+" is not documented")
		}
	}
	if body == nil {
		return problems
	}
	if op.body == nil {
		return append(problems, "the operation is documented without a JSON body")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return append(problems, "not JSON: "+err.Error())
	}
	s.match("$", op.body, v, &problems)
	return problems
}

// check returns what is wrong with an answer of the API: its status must be
// documented for the operation, and its body must match the schema.
func (s *apiSchemas) check(method, path string, status int, body []byte) []string {
	op := s.op(method, path)
	if op == nil {
		if status == 404 || status == 405 {
			// No route: the answer is the error of an unknown address.
			return s.checkBody(status, map[string]any{"4XX": map[string]any{"content": map[string]any{"application/json": map[string]any{
				"schema": map[string]any{"$ref": "#/components/schemas/APIError"}}}}}, body)
		}
		return []string{"no documented operation"}
	}
	return s.checkBody(status, op.responses, body)
}

func (s *apiSchemas) checkBody(status int, responses map[string]any, body []byte) []string {
	resp, ok := responses[strconv.Itoa(status)]
	if !ok {
		resp, ok = responses[strconv.Itoa(status/100)+"XX"]
	}
	if !ok {
		return []string{fmt.Sprintf("status %d is not documented", status)}
	}
	content, _ := resp.(map[string]any)["content"].(map[string]any)
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("status %d is documented without a JSON body", status)}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var problems []string
	s.match("$", media["schema"].(map[string]any), v, &problems)
	return problems
}

// match checks value v at JSON path at against schema, adding what is wrong
// to problems.
func (s *apiSchemas) match(at string, schema map[string]any, v any, problems *[]string) {
	fail := func(format string, args ...any) { *problems = append(*problems, at+": "+fmt.Sprintf(format, args...)) }
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := s.doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			fail("no schema %s", ref)
			return
		}
		s.match(at, target, v, problems)
		return
	}
	if anyOf, ok := schema["anyOf"].([]any); ok {
		for _, alt := range anyOf {
			var p []string
			if s.match(at, alt.(map[string]any), v, &p); len(p) == 0 {
				return
			}
		}
		fail("matches none of anyOf")
		return
	}
	if typ, ok := schema["type"]; ok {
		var types []string
		switch t := typ.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			fail("got %s, want %s", jsonType(v), strings.Join(types, " or "))
			return
		}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		fail("%v is not one of %v", v, enum)
	}
	if schema["format"] == "date-time" {
		if str, ok := v.(string); ok {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				fail("%q is not an RFC 3339 time", str)
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		required, _ := schema["required"].([]any)
		for _, name := range required {
			if _, ok := v[name.(string)]; !ok {
				fail("required property %s is missing", name)
			}
		}
		for name, val := range v {
			ps, ok := props[name].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					fail("property %s is not documented", name)
				}
				continue
			}
			s.match(at+"."+name, ps, val, problems)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range v {
				s.match(fmt.Sprintf("%s[%d]", at, i), items, x, problems)
			}
		}
	}
}

// jsonType is the JSON Schema type of a decoded value.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// TestAPISchemaCheck checks the checker itself on answers that break the
// document in each way it looks for, so that a schema test that passes
// means something.
func TestAPISchemaCheck(t *testing.T) {
	s := loadAPISchemas(t)
	good := `{"id":1,"name":"office","display_name":"督查室","role":"admin","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05.123456Z"}`
	if p := s.check("GET", "/api/v1/me", 200, []byte(good)); len(p) > 0 {
		t.Errorf("a good answer: %v", p)
	}
	for _, c := range []struct{ name, body string }{
		{"a missing field", `{"id":1,"name":"office","role":"admin","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}`},
		{"an unknown field", strings.Replace(good, `"id":1`, `"id":1,"password_hash":"x"`, 1)},
		{"a wrong type", strings.Replace(good, `"id":1`, `"id":"1"`, 1)},
		{"a fraction for an integer", strings.Replace(good, `"id":1`, `"id":1.5`, 1)},
		{"a value not in the enum", strings.Replace(good, `"admin"`, `"root"`, 1)},
		{"a time not in RFC 3339", strings.Replace(good, `"2024-01-02T03:04:05Z"`, `"2024-01-02 03:04"`, 1)},
	} {
		if p := s.check("GET", "/api/v1/me", 200, []byte(c.body)); len(p) == 0 {
			t.Errorf("%s passed the check", c.name)
		}
	}
	if p := s.check("GET", "/api/v1/me", 401, []byte(`{"error":{"code":"unauthorized","message":"请先登录。"}}`)); len(p) > 0 {
		t.Errorf("an error answer: %v", p)
	}
	if p := s.check("GET", "/api/v1/me", 401, []byte(`{"error":{"code":"nope","message":"x"}}`)); len(p) == 0 {
		t.Error("an error answer with an unknown code passed the check")
	}
	if p := s.check("GET", "/api/v1/me", 201, []byte(good)); len(p) == 0 {
		t.Error("an undocumented status passed the check")
	}
	if p := s.check("GET", "/api/v1/tasks/12", 200, []byte(`{"items":[],"total":0,"offset":0,"limit":50}`)); len(p) == 0 {
		t.Error("a list where a task is documented passed the check")
	}
}
