package staff

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/draw"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// MaxAvatarBytes is the largest avatar accepted (the reference's 8 MB).
const MaxAvatarBytes = 8 << 20

// maxAvatarPixels bounds decoding work: a small file can claim a huge image.
const maxAvatarPixels = 40_000_000

// ThumbnailSize is the side of the square avatar thumbnail, in pixels.
const ThumbnailSize = 96

// Avatar is a stored picture and its thumbnail.
type Avatar struct {
	ContentType string
	Image       []byte
	Thumbnail   []byte
}

// ProcessAvatar checks an upload by its content (PNG or JPEG only, whatever
// its name says), decodes it to prove it is a real image, and makes the
// thumbnail: the centre square, scaled down.
func ProcessAvatar(data []byte) (*Avatar, error) {
	if len(data) > MaxAvatarBytes {
		return nil, apperr.New(apperr.TooLarge, "error.too_large", MaxAvatarBytes)
	}
	if len(data) == 0 {
		return nil, apperr.Field("file", "field.required")
	}
	ct := http.DetectContentType(data)
	if ct != "image/png" && ct != "image/jpeg" {
		return nil, apperr.Field("file", "avatar.type")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height > maxAvatarPixels || cfg.Width == 0 || cfg.Height == 0 {
		return nil, apperr.Field("file", "avatar.unreadable")
	}
	var img image.Image
	if ct == "image/png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, apperr.Field("file", "avatar.unreadable")
	}
	thumb, err := thumbnail(img, ct)
	if err != nil {
		return nil, err
	}
	return &Avatar{ContentType: ct, Image: data, Thumbnail: thumb}, nil
}

func thumbnail(img image.Image, ct string) ([]byte, error) {
	b := img.Bounds()
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2, 0, 0)
	crop.Max = crop.Min.Add(image.Pt(side, side))
	dst := image.NewRGBA(image.Rect(0, 0, ThumbnailSize, ThumbnailSize))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, crop, draw.Src, nil)
	var buf bytes.Buffer
	var err error
	if ct == "image/png" {
		err = png.Encode(&buf, dst)
	} else {
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85})
	}
	return buf.Bytes(), err
}
