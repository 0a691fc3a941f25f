using ContentApi.Database;

namespace ContentApi.Tests.Database;

public sealed class SecretFileTests
{
    [Fact]
    public async Task Password_files_are_created_readable_by_their_owner_only_and_replace_older_ones()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var folder = Directory.CreateTempSubdirectory("secret-file-");
        try
        {
            var fresh = Path.Combine(folder.FullName, "fresh.password");
            await LocalPostgres.WriteSecretFileAsync(fresh, "s3cret", CancellationToken.None);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fresh));
            Assert.Equal("s3cret", await File.ReadAllTextAsync(fresh));

            // A file left world-readable by an older run is replaced, not rewritten in place with its old mode.
            var old = Path.Combine(folder.FullName, "old.password");
            await File.WriteAllTextAsync(old, "previous");
            File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await LocalPostgres.WriteSecretFileAsync(old, "new", CancellationToken.None);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old));
            Assert.Equal("new", await File.ReadAllTextAsync(old));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
