package page

import (
	"reflect"
	"testing"

	"github.com/dubanhq/duban"
)

// TestLightsApart: every field of a filter of tasks is either known not to
// depend on the tasks' lights, so that the ledger of a unit keeps what it
// read of the tasks while only the lights change, or makes the ledger read
// it all afresh. A new field must be sorted into one or the other: into the
// known in lightsApart, or into dependsOnLights here.
func TestLightsApart(t *testing.T) {
	dependsOnLights := map[string]bool{"Light": true, "LightPeriod": true}
	typ := reflect.TypeFor[duban.TaskFilter]()
	for i := range typ.NumField() {
		field := typ.Field(i)
		var f duban.TaskFilter
		v := reflect.ValueOf(&f).Elem().Field(i)
		switch v.Kind() {
		case reflect.Pointer:
			v.Set(reflect.New(field.Type.Elem()))
		case reflect.String:
			v.SetString("x")
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int, reflect.Int64:
			v.SetInt(1)
		default:
			t.Fatalf("field %s of a kind the test does not set: %s", field.Name, v.Kind())
		}
		if got, want := lightsApart(f), !dependsOnLights[field.Name]; got != want {
			t.Errorf("a filter by %s: lights apart %v, want %v: sort the field into lightsApart's known fields or this test's dependsOnLights", field.Name, got, want)
		}
	}
}
