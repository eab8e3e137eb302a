package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"patentdesk/internal/licensing"
)

// Request bodies of the JSON API are read strictly: one JSON value, no
// field the resource does not have, every value of its field's type. Each
// message names the field at fault by its full path, with list positions
// counted from 0 (grants.1.licensee, aliases.2).

// decodeJSON reads a request body into v. A body that is not JSON is a
// 400; null, a value of the wrong type or an unknown field is a 422 that
// names the field.
func decodeJSON(c echo.Context, v any) error {
	req := c.Request()
	if mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return badRequest("send the body as JSON, with Content-Type: application/json")
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err // too large: handleError answers 413
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	err = dec.Decode(&raw)
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the body ends in the middle of the JSON")
	case errors.As(err, &syntax):
		return badRequest("the body is not valid JSON: %s (at byte %d)", syntax.Error(), syntax.Offset)
	case err != nil:
		return badRequest("the body cannot be read as JSON: %v", err)
	case dec.More():
		return badRequest("the body holds more than one JSON value")
	case string(bytes.TrimSpace(raw)) == "null":
		return fieldError("body", "must be a JSON object, not null")
	}
	if field, problem := strictDecode(raw, v); problem != "" {
		return fieldError(joinAPIPath("", field), problem)
	}
	return nil
}

// decodeAPIPart reads one JSON value of a request, such as one grant of an
// agreement, into v; on failure errs gets a message under the full path of
// the field at fault. path names where the value sits ("grants.1",
// "grants.1.scope"; "" for the body).
func decodeAPIPart(errs map[string]string, path string, raw json.RawMessage, v any) bool {
	field, problem := strictDecode(raw, v)
	if problem != "" {
		errs[joinAPIPath(path, field)] = problem
	}
	return problem == ""
}

// strictDecode reads raw into v, refusing unknown fields. When it cannot,
// it says why, and which field is at fault ("" for raw as a whole). The
// bodies read so are flat (lists inside them are read item by item), so
// the name encoding/json gives an unknown field is its whole path.
func strictDecode(raw []byte, v any) (field, problem string) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &typ):
		return typeErrorField(raw, typ), "must be " + expectedJSON(typ.Type) + ", not " + typ.Value
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return name, "is not a field of this resource"
	}
	return "", "cannot be read: " + err.Error()
}

// typeErrorField is the path of the value a type error is about.
// encoding/json names the fields on the way (aliases, grants.licensor) but
// not the positions in lists (aliases.1, grants.1.licensor); a second look
// at the body finds the value on that way that does not fit.
func typeErrorField(raw []byte, typ *json.UnmarshalTypeError) string {
	if typ.Field == "" {
		return ""
	}
	kind, _, _ := strings.Cut(typ.Value, " ") // "number 300": a number too large
	if path, ok := misfitAt(raw, strings.Split(typ.Field, "."), kind, typ.Type); ok {
		return path
	}
	return typ.Field
}

// misfitAt finds below raw, along the field names and through any list on
// the way, the deepest value of JSON kind that is not a value of type t,
// and returns its path from raw.
func misfitAt(raw json.RawMessage, names []string, kind string, t reflect.Type) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for i, item := range list {
			if path, ok := misfitAt(item, names, kind, t); ok {
				return joinAPIPath(strconv.Itoa(i), path), true
			}
		}
	} else if len(names) > 0 {
		var object map[string]json.RawMessage
		if json.Unmarshal(raw, &object) != nil || object[names[0]] == nil {
			return "", false
		}
		path, ok := misfitAt(object[names[0]], names[1:], kind, t)
		return joinAPIPath(names[0], path), ok
	}
	return "", len(names) == 0 && len(raw) > 0 && jsonValueKind(raw) == kind &&
		json.Unmarshal(raw, reflect.New(t).Interface()) != nil
}

// joinAPIPath is the field key of name inside path.
func joinAPIPath(path, name string) string {
	switch {
	case path == "" && name == "":
		return "body"
	case path == "":
		return name
	case name == "":
		return path
	}
	return path + "." + name
}

// expectedJSON says how a value of type t is written in JSON.
func expectedJSON(t reflect.Type) string {
	if t == apiRefType {
		return "a string or a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

// apiRef is a reference as a request may give it: a JSON string (a legal
// name, an agreement reference, a patent number in any notation) or a JSON
// number (an id; an amount). Scripts write an id as a number as often as a
// string, so both are read as text. Null leaves it empty.
type apiRef string

var apiRefType = reflect.TypeFor[apiRef]()

// UnmarshalJSON reads a string or a number.
func (r *apiRef) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = apiRef(strings.TrimSpace(s))
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*r = apiRef(b)
	default:
		return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: apiRefType}
	}
	return nil
}

// jsonValueKind names the kind of a JSON value as encoding/json's type
// errors do.
func jsonValueKind(b []byte) string {
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case '"':
		return "string"
	}
	return "number"
}

// bodyField is a field of a request body that may be left out: Set says
// whether it was sent; sent as null, it holds the zero value. Creates and
// updates (PATCH) of companies and patents share one body: a create starts
// from an empty record, an update from the stored one, and each applies
// only the fields sent, so that null clears a field.
type bodyField[T any] struct {
	Set   bool
	Value T
}

// UnmarshalJSON records that the field was sent, and its value.
func (o *bodyField[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// text is the field's value trimmed, "" when null.
func (o bodyField[T]) text() string {
	switch v := any(o.Value).(type) {
	case string:
		return strings.TrimSpace(v)
	case apiRef:
		return strings.TrimSpace(string(v))
	}
	return ""
}

// date reads a date field into dst when it was sent; null or "" clears it.
func (o bodyField[T]) date(errs map[string]string, field string, dst *licensing.Date) {
	if !o.Set {
		return
	}
	v := o.text()
	*dst = apiDate(errs, field, &v)
}

// mergeAPIPatch applies a JSON merge patch (RFC 7396) to base: the
// patch's members replace the base's, null removes one, and objects
// within merge member by member.
func mergeAPIPatch(base, patch json.RawMessage) json.RawMessage {
	var p map[string]json.RawMessage
	if json.Unmarshal(patch, &p) != nil || p == nil {
		return patch
	}
	var b map[string]json.RawMessage
	if json.Unmarshal(base, &b) != nil || b == nil {
		b = map[string]json.RawMessage{}
	}
	for k, v := range p {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(b, k)
			continue
		}
		b[k] = mergeAPIPatch(b[k], v)
	}
	merged, _ := json.Marshal(b) // raw messages of a parsed body marshal
	return merged
}
