using ContentApi.Content;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContentApi.Database;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app or a database.</summary>
public sealed class DesignTimeContentDb : IDesignTimeDbContextFactory<ContentDb>
{
    public ContentDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ContentDb>();
        DatabaseSetup.Configure(options, "Host=localhost;Database=design");
        return new ContentDb(options.Options);
    }
}
