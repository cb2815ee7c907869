package auth_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban/auth"
)

// fast are parameters cheap enough for tests; the algorithm is the same.
var fast = auth.Params{Time: 1, Memory: 64, Threads: 1}

func TestHashVerify(t *testing.T) {
	h := auth.NewHasher(fast)
	hash, err := h.Hash("正确的密码 correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash: got %q, want the PHC argon2id format with its parameters", hash)
	}
	again, _ := h.Hash("正确的密码 correct horse")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{
		{"正确的密码 correct horse", true},
		{"正确的密码 correct hors", false},
		{"", false},
	} {
		if got, err := h.Verify(hash, c.pw); err != nil || got != c.want {
			t.Errorf("Verify(%q): got %v, %v; want %v", c.pw, got, err, c.want)
		}
	}
	// A hasher with other parameters still verifies the old hash: the hash
	// carries its own.
	if ok, err := auth.NewHasher(auth.Params{Time: 2, Memory: 128, Threads: 2}).Verify(hash, "正确的密码 correct horse"); !ok || err != nil {
		t.Errorf("verify with other parameters: got %v, %v; want true", ok, err)
	}
}

func TestVerifyBadHash(t *testing.T) {
	h := auth.NewHasher(fast)
	for _, bad := range []string{
		"",
		"plain",
		"$2a$10$abcdefghijklmnopqrstuv", // bcrypt
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw", // asks for 95 GiB
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5a2V5a2V5a2V5a2V5aw",
	} {
		if ok, err := h.Verify(bad, "x"); ok || err == nil {
			t.Errorf("Verify(%q): got %v, %v; want an error", bad, ok, err)
		}
	}
}

// TestDefaultCost keeps the default parameters at or above OWASP's floor
// for argon2id (19 MiB, two passes); BenchmarkHash shows what one costs here.
func TestDefaultCost(t *testing.T) {
	p := auth.DefaultParams
	if p.Memory < 19*1024 || p.Time < 2 || p.Threads < 1 {
		t.Errorf("DefaultParams = %+v, want at least 19 MiB, 2 passes and 1 thread", p)
	}
}

// BenchmarkHash measures one argon2id hash with the default parameters: it
// should stay well under a second, since every sign-in pays it.
func BenchmarkHash(b *testing.B) {
	h := auth.NewHasher(auth.DefaultParams)
	for b.Loop() {
		if _, err := h.Hash("measure me"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRandomPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := auth.RandomPassword()
		if len(pw) != 14 || strings.ContainsAny(pw, "0Oo1lI") || seen[pw] {
			t.Fatalf("password %q: want 14 unambiguous characters, never repeated", pw)
		}
		seen[pw] = true
	}
}
