-- What became of each product image's resizing (done once per image, in the
-- background): the renditions' content hash and the original's size, or why there
-- are none (a file not copied to the media folder yet, or not an image).
CREATE TABLE image_renditions (
    path          TEXT    PRIMARY KEY,
    content_hash  TEXT,
    width         INTEGER CHECK (width > 0),
    height        INTEGER CHECK (height > 0),
    failure       TEXT,
    rendered_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((content_hash IS NULL) = (failure IS NOT NULL))
);
