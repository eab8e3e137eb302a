package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadSessionKeysFile(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, dir string)
	}{
		{name: "CreatesPrivateKeyFileOnce", run: func(t *testing.T, dir string) {
			keys, err := LoadSessionKeys(dir, "")
			if err != nil {
				t.Fatalf("first LoadSessionKeys: %v", err)
			}
			if len(keys) != 1 || len(keys[0]) < 32 {
				t.Fatalf("got %d keys (first %d bytes), want one of at least 32 bytes", len(keys), len(keys[0]))
			}
			fi, err := os.Stat(filepath.Join(dir, SessionKeyFile))
			if err != nil {
				t.Fatalf("key file: %v", err)
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("key file mode = %v, want 0600", perm)
			}
			again, err := LoadSessionKeys(dir, "")
			if err != nil {
				t.Fatalf("second LoadSessionKeys: %v", err)
			}
			if len(again) != 1 || !bytes.Equal(again[0], keys[0]) {
				t.Error("second start got a different key: every session would end on restart")
			}
		}},
		{name: "CreatesMissingDataDirectory", run: func(t *testing.T, dir string) {
			nested := filepath.Join(dir, "fresh", "data")
			if _, err := LoadSessionKeys(nested, ""); err != nil {
				t.Fatalf("LoadSessionKeys(%s): %v", nested, err)
			}
			if _, err := os.Stat(filepath.Join(nested, SessionKeyFile)); err != nil {
				t.Errorf("key file not created: %v", err)
			}
		}},
		{name: "DifferentDirectoriesDifferentKeys", run: func(t *testing.T, dir string) {
			a, errA := LoadSessionKeys(filepath.Join(dir, "a"), "")
			b, errB := LoadSessionKeys(filepath.Join(dir, "b"), "")
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if bytes.Equal(a[0], b[0]) {
				t.Error("two installations got the same key")
			}
		}},
		{name: "HandWrittenKeyFileRead", run: func(t *testing.T, dir string) {
			want := randomBytes(t, 32)
			path := filepath.Join(dir, SessionKeyFile)
			if err := os.WriteFile(path, []byte("  "+base64.StdEncoding.EncodeToString(want)+"\n\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			keys, err := LoadSessionKeys(dir, "")
			if err != nil || len(keys) != 1 || !bytes.Equal(keys[0], want) {
				t.Errorf("LoadSessionKeys = %x, %v; want the key in the file", keys, err)
			}
		}},
		{name: "DamagedKeyFileRefusedNotReplaced", run: func(t *testing.T, dir string) {
			path := filepath.Join(dir, SessionKeyFile)
			if err := os.WriteFile(path, []byte("deadbeef\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadSessionKeys(dir, ""); err == nil || !strings.Contains(err.Error(), SessionKeyFile) {
				t.Errorf("LoadSessionKeys with a 4-byte key file = %v; want an error naming the file", err)
			}
			if b, _ := os.ReadFile(path); string(b) != "deadbeef\n" {
				t.Errorf("damaged key file was rewritten to %q", b)
			}
		}},
		{name: "EnvironmentWinsOverFile", run: func(t *testing.T, dir string) {
			fileKeys, err := LoadSessionKeys(dir, "")
			if err != nil {
				t.Fatal(err)
			}
			env := randomBytes(t, 32)
			keys, err := LoadSessionKeys(dir, hex.EncodeToString(env))
			if err != nil || len(keys) != 1 || !bytes.Equal(keys[0], env) || bytes.Equal(keys[0], fileKeys[0]) {
				t.Errorf("LoadSessionKeys(env) = %x, %v; want the environment's key", keys, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, t.TempDir()) })
	}
}

func TestLoadSessionKeysEnv(t *testing.T) {
	k1, k2 := randomBytes(t, 32), randomBytes(t, 48)
	tests := []struct {
		name    string
		env     string
		want    [][]byte
		wantErr string // substring of the error; "" for success
	}{
		{name: "Hex", env: hex.EncodeToString(k1), want: [][]byte{k1}},
		{name: "UpperCaseHex", env: strings.ToUpper(hex.EncodeToString(k1)), want: [][]byte{k1}},
		{name: "Base64", env: base64.StdEncoding.EncodeToString(k2), want: [][]byte{k2}},
		{name: "RotationListInOrder", env: base64.StdEncoding.EncodeToString(k2) + " , " + hex.EncodeToString(k1), want: [][]byte{k2, k1}},
		{name: "ShortHexRejected", env: hex.EncodeToString(k1[:31]), wantErr: "31 bytes"},
		{name: "ShortBase64Rejected", env: base64.StdEncoding.EncodeToString(k1[:16]), wantErr: "at least 32"},
		{name: "GarbageRejected", env: "this is not a key!", wantErr: "not hex or base64"},
		{name: "BadSecondKeyNamed", env: hex.EncodeToString(k1) + ",short", wantErr: "key 2"},
		{name: "EmptyItemRejected", env: hex.EncodeToString(k1) + ",", wantErr: "key 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			keys, err := LoadSessionKeys(dir, tc.env)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("LoadSessionKeys(%q) succeeded; want an error mentioning %q", tc.env, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("LoadSessionKeys(%q) = %v; want an error mentioning %q", tc.env, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "PATENTDESK_SESSION_KEY") {
					t.Errorf("error %q does not name PATENTDESK_SESSION_KEY", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadSessionKeys(%q): %v", tc.env, err)
			}
			if len(keys) != len(tc.want) {
				t.Fatalf("got %d keys, want %d", len(keys), len(tc.want))
			}
			for i := range keys {
				if !bytes.Equal(keys[i], tc.want[i]) {
					t.Errorf("key %d = %x, want %x", i+1, keys[i], tc.want[i])
				}
			}
			if _, err := os.Stat(filepath.Join(dir, SessionKeyFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("key file written although the environment gave keys (stat: %v)", err)
			}
		})
	}
}
