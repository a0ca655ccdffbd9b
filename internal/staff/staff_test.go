package staff

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

func TestClientLogLevelsIncludeTheMoreSevereOnes(t *testing.T) {
	cases := []struct {
		setting ClientLog
		line    string
		kept    bool
	}{
		{ClientLog{Enabled: true, Level: "ERROR"}, "ERROR", true},
		{ClientLog{Enabled: true, Level: "ERROR"}, "WARNING", false},
		{ClientLog{Enabled: true, Level: "WARNING"}, "ERROR", true},
		{ClientLog{Enabled: true, Level: "INFO"}, "WARNING", true},
		{ClientLog{Enabled: true, Level: "INFO"}, "DEBUG", false},
		{ClientLog{Enabled: true, Level: "DEBUG"}, "DEBUG", true},
		{ClientLog{Enabled: false, Level: "DEBUG"}, "ERROR", false},
		{ClientLog{Enabled: true, Level: "DEBUG"}, "TRACE", false},
	}
	for _, c := range cases {
		if got := c.setting.Includes(c.line); got != c.kept {
			t.Errorf("%+v includes %s = %v, want %v", c.setting, c.line, got, c.kept)
		}
	}
}

func TestAgentPatchNamesEveryBadField(t *testing.T) {
	neg, big, empty, bad := -1, 5000, "", "loud"
	p := AgentPatch{FullName: &empty, Extension: &bad, Typology: &bad,
		Channels:    map[Channel]*ChannelPatch{Chat: {Capacity: &neg}, WhatsApp: {AutoAnswerDelay: &big}, "pigeon": {}},
		Permissions: &PermissionsPatch{Sidebar: &[]string{"dashboard", "casino"}},
		ClientLog:   &ClientLogPatch{Level: &bad}}
	f := apperr.FieldErrors{}
	p.Validate(f)
	for _, field := range []string{"full_name", "extension", "typology", "channels.chat.capacity",
		"channels.whatsapp.auto_answer_delay", "channels.pigeon", "permissions.sidebar", "client_log.level"} {
		if _, ok := f[field]; !ok {
			t.Errorf("%s not reported; got %v", field, f)
		}
	}
}

func TestAvatarRefusesImagesThatClaimHugeSizes(t *testing.T) {
	// A valid PNG whose header claims 100000 x 100000 pixels: decoding it
	// would need tens of gigabytes, so it is refused from its header.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], 100000) // IHDR width
	binary.BigEndian.PutUint32(b[20:], 100000) // IHDR height
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	_, err := ProcessAvatar(b)
	if ae, ok := err.(*apperr.Error); !ok || ae.Fields["file"].Key != "avatar.unreadable" {
		t.Fatalf("huge image: %v", err)
	}
}
