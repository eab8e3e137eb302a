package auth

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SessionKeyFile is the name of the signing-key file in the data directory.
const SessionKeyFile = "session.key"

// LoadSessionKeys returns the keys that sign session cookies. Keys given in
// fromEnv (comma-separated, hex or base64, at least 32 bytes each; the first
// signs, the rest still verify) win; otherwise the key file in dataDir is
// read, and created with mode 0600 on first start.
func LoadSessionKeys(dataDir, fromEnv string) ([][]byte, error) {
	if strings.TrimSpace(fromEnv) != "" {
		var keys [][]byte
		for i, part := range strings.Split(fromEnv, ",") {
			k, err := decodeKey(strings.TrimSpace(part))
			if err != nil {
				return nil, fmt.Errorf("PATENTDESK_SESSION_KEY: key %d: %w", i+1, err)
			}
			keys = append(keys, k)
		}
		return keys, nil
	}
	path := filepath.Join(dataDir, SessionKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := NewSessionKey()
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
			f.Close()
			return nil, err
		}
		return [][]byte{key}, f.Close()
	}
	if err != nil {
		return nil, err
	}
	k, err := decodeKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return [][]byte{k}, nil
}

func decodeKey(s string) ([]byte, error) {
	k, err := hex.DecodeString(s)
	if err != nil {
		if k, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, errors.New("not hex or base64")
		}
	}
	if len(k) < 32 {
		return nil, fmt.Errorf("only %d bytes; at least 32 are needed", len(k))
	}
	return k, nil
}
