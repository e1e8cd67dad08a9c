-- What became of each product image's resizing (done once per image, in the
-- background): the renditions' content hash and the original's size, or why there
-- are none (a file not copied to the media folder yet, or not an image).
CREATE TABLE image_renditions (
    path          text        PRIMARY KEY,
    content_hash  text,
    width         integer     CHECK (width > 0),
    height        integer     CHECK (height > 0),
    failure       text,
    rendered_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((content_hash IS NULL) = (failure IS NOT NULL))
);
