import { Avatar } from '../components/Avatar.js';
import { FactList, NotGiven } from '../components/FactList.js';
import { ScreenHeading } from '../components/ScreenHeading.js';
import { useSession } from '../session/session-context.js';

/** A picture's address on one line (hover or copy for the rest); embedded images are just named. */
function PictureSource({ url }: { url: string }) {
  if (url.startsWith('data:')) return <span>An embedded image</span>;
  return (
    <span className="truncate" title={url}>
      {url}
    </span>
  );
}

/** `#/profile`: what the provider told us about the person, nothing more. */
export function ProfileScreen() {
  const { snapshot, appInfo } = useSession();
  const user = snapshot.user;
  return (
    <>
      <ScreenHeading title="Profile" appName={appInfo.name} />
      <section className="card profile">
        <Avatar user={user} size="large" alt={user?.picture ? 'Your profile picture' : ''} />
        <FactList
          label="Your profile"
          facts={[
            ['Name', user?.name ?? <NotGiven />],
            ['Email', user?.email ?? <NotGiven />],
            ['Subject (sub)', user ? <code>{user.sub}</code> : <NotGiven />],
            ['Picture', user?.picture ? <PictureSource url={user.picture} /> : <NotGiven />],
            ['Signed in with', snapshot.providerLabel ?? <NotGiven />],
          ]}
        />
      </section>
    </>
  );
}
