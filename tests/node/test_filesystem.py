"""Tests for kubelearn.node.filesystem: file trees, mounts, a container's view."""
import pytest

from kubelearn.node.filesystem import (EBUSY, EEXIST, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EROFS,
                                       ContainerFS, FileTree, FsError, Mount, image_layer,
                                       normalize)


def reason(call, *args, **kwargs) -> str:
    with pytest.raises(FsError) as err:
        call(*args, **kwargs)
    return err.value.reason


def test_normalize():
    assert normalize("a/../b", "/app") == "/app/b"
    assert normalize("//x/./y/") == "/x/y"
    assert normalize("..", "/") == "/"


def test_tree_files_and_dirs():
    tree = FileTree.from_files({"/app/story/text.txt": "hi\n"}, ["/tmp"])
    assert tree.kind("/app/story") == "dir" and tree.kind("/app/story/text.txt") == "file"
    assert tree.children("/") == ["app", "tmp"]
    assert tree.read("/app/story/text.txt") == "hi\n"
    tree.write("/app/story/text.txt", "more\n", append=True)
    assert tree.read("/app/story/text.txt") == "hi\nmore\n"


def test_tree_errors_are_the_kernels():
    tree = FileTree.from_files({"/f": "x"}, ["/d"])
    assert reason(tree.read, "/nope") == ENOENT
    assert reason(tree.read, "/d") == EISDIR
    assert reason(tree.write, "/a/b/c", "") == ENOENT
    assert reason(tree.write, "/f/x", "") == ENOTDIR
    assert reason(tree.make_dir, "/d") == EEXIST
    assert reason(tree.make_dir, "/x/y") == ENOENT
    tree.make_dirs("/x/y/z")
    assert tree.kind("/x/y") == "dir"
    assert reason(tree.remove, "/x") == ENOTEMPTY
    assert reason(tree.children, "/f") == ENOTDIR


def test_a_mount_shows_its_tree_at_its_path():
    volume = FileTree.from_files({"/text.txt": "kept\n"})
    fs = ContainerFS(image_layer({"files": {"/app/story/text.txt": "image\n"}}),
                     [Mount("/app/story", volume, "/", volume="story")])
    assert fs.read("/app/story/text.txt") == "kept\n"       # the image's file is hidden
    fs.write("/app/story/new.txt", "x")
    assert volume.files["/new.txt"] == "x"
    assert "story" in fs.listdir("/app")


def test_a_mount_of_a_subdirectory_and_of_a_file():
    disk = FileTree.from_files({"/data/a.txt": "a", "/etc/motd": "hello"})
    fs = ContainerFS(FileTree(), [Mount("/mnt", disk, "/data"), Mount("/motd", disk, "/etc/motd")])
    assert fs.listdir("/mnt") == ["a.txt"]
    assert fs.read("/motd") == "hello"


def test_read_only_mounts_refuse_writes():
    fs = ContainerFS(FileTree(), [Mount("/etc/config", FileTree.from_files({"/k": "v"}), "/",
                                        read_only=True)])
    assert fs.read("/etc/config/k") == "v"
    assert reason(fs.write, "/etc/config/k", "x") == EROFS
    assert reason(fs.remove, "/etc/config/k") == EROFS


def test_removing_a_mount_point_empties_it_and_is_busy():
    volume = FileTree.from_files({"/a": "1", "/sub/b": "2"})
    fs = ContainerFS(FileTree(), [Mount("/data", volume)])
    assert reason(fs.remove, "/data", recursive=True) == EBUSY
    assert volume.files == {} and volume.dirs == {"/"}


def test_image_layer_and_snapshot():
    layer = image_layer({"files": {"/app/app.js": "js"}, "dirs": ["/app/node_modules"]}, "web-1")
    assert layer.files["/etc/hostname"] == "web-1\n"
    assert {"tmp", "app", "etc"} <= set(layer.children("/"))
    assert image_layer({"base": "scratch"}).kind("/tmp") is None
    fs = ContainerFS(layer, [Mount("/data", FileTree())])
    copy = fs.snapshot()
    copy.write("/data/x", "1")
    copy.write("/tmp/y", "2")
    assert fs.kind("/data/x") is None and fs.kind("/tmp/y") is None
