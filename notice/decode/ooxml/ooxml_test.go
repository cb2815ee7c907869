package ooxml

import (
	"testing"

	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// TestEntryCount checks the early count that guards archive/zip.
func TestEntryCount(t *testing.T) {
	data := decodetest.Zip(t, [2]string{"a", "1"}, [2]string{"b", "2"}, [2]string{"c", "3"})
	if n, ok := EntryCount(data); !ok || n != 3 {
		t.Errorf("EntryCount = %d, %v; want 3, true", n, ok)
	}
	if _, ok := EntryCount([]byte("PK\x03\x04 no directory")); ok {
		t.Error("EntryCount found a directory in a truncated archive")
	}
}
